package io.kaapana.workflow.core.domain;

/** Lifecycle states of a task run. */
public enum TaskRunState {
  CREATED(0),
  PENDING(1),
  SCHEDULED(2),
  RUNNING(3),
  COMPLETED(4),
  ERROR(4),
  SKIPPED(4),
  UPSTREAM_FAILED(4),
  CANCELED(4);

  private final int rank;

  TaskRunState(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  public boolean isSettled() {
    return rank == 4;
  }

  /** States from which a single task may be retried. */
  public boolean isRetryable() {
    return this == ERROR || this == UPSTREAM_FAILED || this == CANCELED;
  }
}
