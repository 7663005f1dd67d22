package io.kaapana.workflow.client.model;

/** The API's {@code Severity} values. */
public enum Severity {
  DEBUG,
  INFO,
  WARNING,
  ERROR,
  CRITICAL
}
