package io.kaapana.workflow.core.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an event says beyond its type, its object and the states it moved between: one record per
 * kind of fact. Persistence stores each under the names the event catalogue publishes ({@code
 * docs/events.md}); the core only names the facts.
 */
public sealed interface EventData
    permits EventData.None,
        EventData.WorkflowCreated,
        EventData.WorkflowUpdated,
        EventData.WorkflowForced,
        EventData.WorkflowValidated,
        EventData.WorkflowDeleted,
        EventData.RevisionCreated,
        EventData.RunCreated,
        EventData.RunStateChanged,
        EventData.RunAction,
        EventData.TaskRetryRequested,
        EventData.RunClaimed,
        EventData.RunReleased,
        EventData.RunForced,
        EventData.TaskRunStateChanged,
        EventData.AdapterRegistered {

  /** Nothing beyond the event's type, object and states. */
  EventData NONE = new None();

  record None() implements EventData {}

  record WorkflowCreated(String title) implements EventData {}

  /** A new title or description; {@code previousTitle} only when the title changed. */
  record WorkflowUpdated(String title, String previousTitle) implements EventData {}

  /** An admin's forced rename, with the reason given. */
  record WorkflowForced(String title, String reason) implements EventData {}

  /** An engine's verdict on a revision; {@code engineRef} when the engine named its deployment. */
  record WorkflowValidated(int increment, List<String> messages, String engineRef)
      implements EventData {
    public WorkflowValidated {
      messages = List.copyOf(messages);
    }
  }

  /** What a purge of the workflow removed with it. */
  record WorkflowDeleted(long workflowRuns, long taskRuns, long events, long revisions)
      implements EventData {}

  record RevisionCreated(int increment, String specHash) implements EventData {}

  record RunCreated(UUID workflowId, int increment) implements EventData {}

  /**
   * A run's state changed: with the attempt it is on ({@code previousAttempt} when a new one
   * began), or with the reason of a cancel the service settled alone.
   */
  record RunStateChanged(Integer attempt, Integer previousAttempt, String reason)
      implements EventData {
    public static RunStateChanged onAttempt(int attempt) {
      return new RunStateChanged(attempt, null, null);
    }

    public static RunStateChanged newAttempt(int attempt, int previous) {
      return new RunStateChanged(attempt, previous, null);
    }

    public static RunStateChanged canceled(String reason) {
      return new RunStateChanged(null, null, reason);
    }
  }

  /** A CANCEL or RETRY of a run, requested or carried out; scope and reason as requested. */
  record RunAction(RequestedAction action, RetryScope scope, boolean force, String reason)
      implements EventData {
    public static RunAction of(RequestedAction action) {
      return new RunAction(action, null, false, null);
    }
  }

  /** A RETRY of one task run. */
  record TaskRetryRequested(String taskTitle, String reason) implements EventData {}

  /** An adapter took the run; {@code previousAdapterId} when another one held it. */
  record RunClaimed(String adapterId, String previousAdapterId) implements EventData {}

  record RunReleased(ReleaseReason reason) implements EventData {}

  /** An admin's forced change, with the labels before and after when they changed. */
  record RunForced(String reason, Map<String, String> labelsBefore, Map<String, String> labelsAfter)
      implements EventData {}

  record TaskRunStateChanged(String taskTitle, int attempt) implements EventData {}

  record AdapterRegistered(String workflowEngine, String labelSelector) implements EventData {}
}
