package io.kaapana.workflow.client.model;

/** The API's {@code RunState} values. */
public enum RunState {
  CREATED,
  PENDING,
  SCHEDULED,
  RUNNING,
  COMPLETED,
  ERROR,
  CANCELED
}
