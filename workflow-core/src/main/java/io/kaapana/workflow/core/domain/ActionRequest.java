package io.kaapana.workflow.core.domain;

/**
 * A pending request for the holding adapter: the action and how to carry it out.
 *
 * @param scope for RETRY: FAILED or ALL; null for CANCEL and for a task retry
 * @param force for CANCEL: stop at once instead of letting exit handlers run
 * @param taskTitle for a task retry: the task to re-run (with its downstream); null otherwise
 */
public record ActionRequest(
    RequestedAction type, RetryScope scope, boolean force, String taskTitle, String reason) {

  public static ActionRequest cancel(boolean force, String reason) {
    return new ActionRequest(RequestedAction.CANCEL, null, force, null, reason);
  }

  public static ActionRequest retry(RetryScope scope, String reason) {
    return new ActionRequest(
        RequestedAction.RETRY, scope == null ? RetryScope.FAILED : scope, false, null, reason);
  }

  public static ActionRequest retryTask(String taskTitle, String reason) {
    return new ActionRequest(RequestedAction.RETRY, null, false, taskTitle, reason);
  }
}
