package io.kaapana.workflow.client.model;

/** The API's {@code TaskRunState} values. */
public enum TaskRunState {
  CREATED,
  PENDING,
  SCHEDULED,
  RUNNING,
  COMPLETED,
  ERROR,
  SKIPPED,
  UPSTREAM_FAILED,
  CANCELED
}
