package io.kaapana.workflow.core.domain;

/** Whether an adapter has checked a revision in its engine. */
public enum ValidationStatus {
  PENDING,
  VALID,
  INVALID
}
