package io.kaapana.workflow.adapter.spi;

/** A task run's state as observed in the engine, in the Workflow API's terms. */
public enum EngineTaskState {
  CREATED,
  PENDING,
  SCHEDULED,
  RUNNING,
  COMPLETED,
  ERROR,
  SKIPPED,
  UPSTREAM_FAILED,
  CANCELED;

  public boolean isSettled() {
    return switch (this) {
      case COMPLETED, ERROR, SKIPPED, UPSTREAM_FAILED, CANCELED -> true;
      default -> false;
    };
  }
}
