package io.kaapana.workflow.client.model;

/** The body of {@code POST /v1/workflow-runs/{id}/events}. */
public record WorkflowRunEvent(
    RequestedAction type, String reason, RetryScope scope, Boolean force) {
  public static WorkflowRunEvent cancel(String reason) {
    return new WorkflowRunEvent(RequestedAction.CANCEL, reason, null, null);
  }

  public static WorkflowRunEvent retry(RetryScope scope, String reason) {
    return new WorkflowRunEvent(RequestedAction.RETRY, reason, scope, null);
  }
}
