package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.EventData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code data} document of an event row, which the API shows as the event's {@code data}: the
 * members and names of the published event catalogue ({@code docs/events.md}), written here and
 * nowhere else, so that renaming a field of an {@link EventData} record changes this mapping, not
 * the catalogue. Members without a value are left out.
 */
final class StoredEventData {
  private StoredEventData() {}

  static Map<String, Object> of(EventData data) {
    Members m = new Members();
    if (data instanceof EventData.None) {
      return m.values;
    } else if (data instanceof EventData.WorkflowCreated d) {
      m.put("title", d.title());
    } else if (data instanceof EventData.WorkflowUpdated d) {
      m.put("title", d.title()).put("previous_title", d.previousTitle());
    } else if (data instanceof EventData.WorkflowForced d) {
      m.put("title", d.title()).put("reason", d.reason());
    } else if (data instanceof EventData.WorkflowValidated d) {
      m.put("increment", d.increment())
          .put("messages", d.messages())
          .put("engine_ref", d.engineRef());
    } else if (data instanceof EventData.WorkflowDeleted d) {
      m.put("workflow_runs", d.workflowRuns())
          .put("task_runs", d.taskRuns())
          .put("events", d.events())
          .put("revisions", d.revisions());
    } else if (data instanceof EventData.RevisionCreated d) {
      m.put("increment", d.increment()).put("spec_hash", d.specHash());
    } else if (data instanceof EventData.RunCreated d) {
      m.put("workflow_id", d.workflowId().toString()).put("increment", d.increment());
    } else if (data instanceof EventData.RunStateChanged d) {
      m.put("attempt", d.attempt())
          .put("previous_attempt", d.previousAttempt())
          .put("reason", d.reason());
    } else if (data instanceof EventData.RunAction d) {
      m.put("action", d.action().name())
          .put("scope", d.scope() == null ? null : d.scope().name())
          .put("force", d.force() ? Boolean.TRUE : null)
          .put("reason", d.reason());
    } else if (data instanceof EventData.TaskRetryRequested d) {
      m.put("action", "RETRY").put("task_title", d.taskTitle()).put("reason", d.reason());
    } else if (data instanceof EventData.RunClaimed d) {
      m.put("adapter_id", d.adapterId()).put("previous_adapter_id", d.previousAdapterId());
    } else if (data instanceof EventData.RunReleased d) {
      m.put("reason", d.reason().slug());
    } else if (data instanceof EventData.RunForced d) {
      m.put("reason", d.reason())
          .put("labels_before", d.labelsBefore())
          .put("labels_after", d.labelsAfter());
    } else if (data instanceof EventData.TaskRunStateChanged d) {
      m.put("task_title", d.taskTitle()).put("attempt", d.attempt());
    } else if (data instanceof EventData.AdapterRegistered d) {
      m.put("workflow_engine", d.workflowEngine()).put("label_selector", d.labelSelector());
    } else {
      // EventData is sealed; StoredEventDataTest maps every kind, so a new one fails there first.
      throw new IllegalStateException("no stored form for " + data.getClass().getSimpleName());
    }
    return m.values;
  }

  private static final class Members {
    final Map<String, Object> values = new LinkedHashMap<>();

    Members put(String name, Object value) {
      if (value != null) {
        values.put(name, value);
      }
      return this;
    }
  }
}
