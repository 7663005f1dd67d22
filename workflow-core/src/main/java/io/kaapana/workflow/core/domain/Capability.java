package io.kaapana.workflow.core.domain;

/** What an adapter can do in its engine; the service refuses requests no holder can serve. */
public enum Capability {
  CANCEL,
  RETRY_RUN,
  RETRY_TASK,
  LOGS,
  LOG_FOLLOW,
  VALIDATE
}
