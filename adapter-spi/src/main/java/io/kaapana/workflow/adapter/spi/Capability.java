package io.kaapana.workflow.adapter.spi;

/**
 * What an adapter can do beyond deploy, submit and observe. The runtime registers them with the
 * Workflow API, which refuses client requests that no holder can serve. A capability an adapter
 * declares must work; the method behind one it does not declare throws {@link AdapterException}
 * with {@link AdapterException.ErrorCode#UNSUPPORTED} (the TCK checks both).
 */
public enum Capability {
  /** {@link WorkflowAdapter#cancel(RunRef, boolean)}. */
  CANCEL,
  /** {@link WorkflowAdapter#retry(RunSpec, RetryScope)}. */
  RETRY_RUN,
  /** {@link WorkflowAdapter#retryTask(RunSpec, String)}. */
  RETRY_TASK,
  /** {@link WorkflowAdapter#readLogs(LogQuery)}. */
  LOGS,
  /** {@link WorkflowAdapter#followLogs(LogQuery, java.time.Duration)} waits for new lines. */
  LOG_FOLLOW,
  /** {@link WorkflowAdapter#deploy(RevisionSpec)} checks the definition and may answer INVALID. */
  VALIDATE
}
