package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.TaskRunReport;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run this runtime holds under a lease, and the only owner of its state: every change is one of
 * the transitions below, each atomic under the run's monitor, so that the parts working on a run
 * (the claim loop, the reconciler, the batch sync, the scheduler) never see half a change. The
 * reconcile of one run never runs twice at once ({@link #tryStartWork}); a wake-up during a
 * reconcile makes it run once more after ({@link #finishWork}).
 */
final class HeldRun {
  final UUID id;
  private ClaimedWorkflowRun claimed;
  private UUID leaseToken;
  private String externalId;
  private int attempt;
  private RunState state;

  /** What a client asked for and the runtime has not reported done yet. */
  private ActionRequest action;

  /** The action was carried out in the engine; waiting for the engine to show its effect. */
  private boolean actionStarted;

  /** For a started RETRY: the attempt the engine answered with. */
  private int retryAttempt;

  /** The last report the service accepted, to send only changes. */
  private StatusReport lastReport;

  /** A fresh observation from a batch sync, used instead of observing again. */
  private RunObservation pendingObservation;

  private boolean busy;
  private boolean dirty;
  private int failures;

  HeldRun(ClaimedWorkflowRun claimed) {
    this.id = claimed.id();
    update(claimed);
  }

  /** What one reconcile starts from; the batch sync's observation is handed over once. */
  record Snapshot(
      ClaimedWorkflowRun claimed,
      ActionRequest action,
      boolean actionStarted,
      String externalId,
      int attempt,
      RunObservation observation) {}

  /** Takes a newer claim of the same run (a requested action, or a new lease). */
  synchronized void update(ClaimedWorkflowRun newer) {
    this.claimed = newer;
    this.leaseToken = newer.leaseToken();
    if (newer.externalId() != null) {
      this.externalId = newer.externalId();
    }
    this.attempt = Math.max(this.attempt, newer.attempt());
    this.state = newer.lifecycleStatus();
    if (newer.actionRequest() != null && !newer.actionRequest().equals(action)) {
      this.action = newer.actionRequest();
      this.actionStarted = false;
    }
  }

  /** The W3C trace context of the run's creation, from its latest claim; null when untraced. */
  synchronized String traceparent() {
    return claimed.traceparent();
  }

  // --- scheduling ----------------------------------------------------------------------------

  /** True when the caller may run the reconcile now; false marks it to run again after. */
  synchronized boolean tryStartWork() {
    if (busy) {
      dirty = true;
      return false;
    }
    busy = true;
    return true;
  }

  /** The reconcile ended; true when a wake-up came meanwhile and it should run again. */
  synchronized boolean finishWork() {
    busy = false;
    boolean again = dirty;
    dirty = false;
    return again;
  }

  synchronized void workSucceeded() {
    failures = 0;
  }

  /** Counts a failed reconcile; the number of failures in a row. */
  synchronized int workFailed() {
    return ++failures;
  }

  // --- reconciling ---------------------------------------------------------------------------

  synchronized Snapshot beginReconcile() {
    Snapshot snapshot =
        new Snapshot(claimed, action, actionStarted, externalId, attempt, pendingObservation);
    pendingObservation = null;
    return snapshot;
  }

  synchronized RunState state() {
    return state;
  }

  /** The requested action not yet reported done, or null. */
  synchronized ActionRequest pendingAction() {
    return action;
  }

  synchronized boolean actionStarted() {
    return actionStarted;
  }

  synchronized void submitted(String engineRunId) {
    this.externalId = engineRunId;
  }

  /** The requested action was carried out in the engine; a RETRY answered with its attempt. */
  synchronized void actionCarriedOut(int newAttempt) {
    actionStarted = true;
    if (newAttempt > 0) {
      retryAttempt = newAttempt;
      attempt = newAttempt;
    }
  }

  /** The run as the engine knows it now. */
  synchronized RunRef ref(String engineRef) {
    return new RunRef(id.toString(), externalId, engineRef, Math.max(1, attempt));
  }

  /**
   * For the batch sync: the run as the engine knows it, or null while it is not submitted or a
   * reconcile is under way.
   */
  synchronized RunRef syncRef(Deployments deployments) {
    if (externalId == null || busy) {
      return null;
    }
    var deployment = deployments.known(claimed.workflow().id(), claimed.workflow().increment());
    return ref(deployment == null ? null : deployment.engineRef());
  }

  synchronized void observed(RunObservation observation) {
    pendingObservation = observation;
  }

  /** The report saying why a run not yet submitted waits, or null when it is past that. */
  synchronized StatusReport whyItWaits(String message) {
    if (state != RunState.CREATED || externalId != null) {
      return null;
    }
    return new StatusReport(
        leaseToken,
        RunState.CREATED,
        Math.max(1, attempt),
        null,
        message,
        null,
        null,
        null,
        List.of());
  }

  /**
   * What to report from an observation, or (when it is null) a run-level state with a message; null
   * when it says nothing the service has not accepted already. A requested action is reported done
   * once the engine shows its effect.
   */
  synchronized StatusReport nextReport(
      RunObservation observation,
      RunState runState,
      String message,
      ActionRequest requested,
      Instant now) {
    RunState newState = observation != null ? Vocabulary.runState(observation.state()) : runState;
    int newAttempt =
        observation != null ? Math.max(observation.attempt(), attempt) : Math.max(1, attempt);
    RequestedAction done = null;
    if (requested != null) {
      boolean settled =
          newState == RunState.CANCELED
              || newState == RunState.ERROR
              || newState == RunState.COMPLETED;
      if (requested.type() == RequestedAction.CANCEL && settled) {
        done = RequestedAction.CANCEL;
      } else if (requested.type() == RequestedAction.RETRY
          && actionStarted
          && newAttempt >= retryAttempt) {
        done = RequestedAction.RETRY;
      } else if (observation == null) {
        done = requested.type(); // the run ended without the engine: the request is moot
      }
    }
    List<TaskRunReport> tasks =
        observation == null
            ? List.of()
            : observation.tasks().stream()
                .map(
                    t ->
                        new TaskRunReport(
                            t.taskTitle(),
                            Vocabulary.taskRunState(t.state()),
                            t.attempt(),
                            t.externalId(),
                            t.startedAt(),
                            t.finishedAt(),
                            t.message()))
                .toList();
    StatusReport report =
        new StatusReport(
            leaseToken,
            newState,
            newAttempt,
            externalId,
            observation != null ? observation.message() : message,
            observation != null ? observation.startedAt() : null,
            observation != null ? observation.finishedAt() : now,
            done,
            tasks);
    return report.equals(lastReport) ? null : report;
  }

  /**
   * The service accepted a report and answered with the run; true when nothing is left to do
   * (settled, no action pending): a new request comes back through a claim.
   */
  synchronized boolean reportAccepted(StatusReport report, WorkflowRun answer) {
    lastReport = report;
    state = answer.lifecycleStatus();
    attempt = Math.max(attempt, answer.attempt());
    if (report.actionDone() != null && answer.requestedAction() == null) {
      action = null;
      actionStarted = false;
    }
    return action == null
        && (state == RunState.COMPLETED || state == RunState.ERROR || state == RunState.CANCELED);
  }
}
