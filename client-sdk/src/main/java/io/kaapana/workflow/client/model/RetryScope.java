package io.kaapana.workflow.client.model;

/** The API's {@code RetryScope} values. */
public enum RetryScope {
  FAILED,
  ALL
}
