package io.kaapana.workflow.core.domain;

import java.util.UUID;

/**
 * A change to record in the event history; the store assigns {@code seq} and {@code created_at}.
 */
public record DomainEvent(
    String type,
    ObjectType objectType,
    String objectId,
    UUID workflowRunId,
    String from,
    String to,
    EventData data,
    String actor) {

  public enum ObjectType {
    WORKFLOW,
    WORKFLOW_RUN,
    TASK_RUN,
    ADAPTER
  }

  public DomainEvent {
    data = data == null ? EventData.NONE : data;
  }

  public static final String REVISION_CREATED = "workflow.revision_created";
  public static final String WORKFLOW_CREATED = "workflow.created";
  public static final String WORKFLOW_UPDATED = "workflow.updated";
  public static final String WORKFLOW_ARCHIVED = "workflow.archived";
  public static final String WORKFLOW_DELETED = "workflow.deleted";
  public static final String WORKFLOW_VALIDATED = "workflow.validated";
  public static final String RUN_CREATED = "workflow_run.created";
  public static final String RUN_STATUS_CHANGED = "workflow_run.status_changed";
  public static final String RUN_ACTION_REQUESTED = "workflow_run.action_requested";
  public static final String RUN_ACTION_COMPLETED = "workflow_run.action_completed";
  public static final String RUN_CLAIMED = "workflow_run.claimed";
  public static final String RUN_RELEASED = "workflow_run.released";
  public static final String RUN_FORCED_UPDATE = "workflow_run.forced_update";
  public static final String TASK_RUN_STATUS_CHANGED = "task_run.status_changed";
  public static final String TASK_RUN_ACTION_REQUESTED = "task_run.action_requested";
  public static final String ADAPTER_REGISTERED = "adapter.registered";
  public static final String ADAPTER_LOST = "adapter.lost";
  public static final String ADAPTER_DEREGISTERED = "adapter.deregistered";
}
