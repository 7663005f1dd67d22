package io.kaapana.workflow.client.model;

/** The API's {@code Capability} values. */
public enum Capability {
  CANCEL,
  RETRY_RUN,
  RETRY_TASK,
  LOGS,
  LOG_FOLLOW,
  VALIDATE
}
