package io.kaapana.workflow.core.domain;

/** What a client asked the owning adapter to carry out. */
public enum RequestedAction {
  CANCEL,
  RETRY
}
