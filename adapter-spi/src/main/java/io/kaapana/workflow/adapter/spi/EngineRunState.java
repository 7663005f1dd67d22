package io.kaapana.workflow.adapter.spi;

/**
 * A run's state as observed in the engine, in the Workflow API's terms ({@code CREATED} is the
 * API's own: a run the engine has is at least {@link #PENDING}).
 */
public enum EngineRunState {
  PENDING,
  SCHEDULED,
  RUNNING,
  COMPLETED,
  ERROR,
  CANCELED;

  public boolean isSettled() {
    return this == COMPLETED || this == ERROR || this == CANCELED;
  }
}
