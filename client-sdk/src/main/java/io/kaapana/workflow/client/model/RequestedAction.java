package io.kaapana.workflow.client.model;

/** The API's {@code RequestedAction} values. */
public enum RequestedAction {
  CANCEL,
  RETRY
}
