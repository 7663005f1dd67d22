package io.kaapana.workflow.client.model;

/** The API's {@code ValidationStatus} values. */
public enum ValidationStatus {
  PENDING,
  VALID,
  INVALID
}
