package io.kaapana.workflow.core.domain;

/** Lifecycle states of a workflow run (see lifecycle.md). */
public enum RunState {
  CREATED(0),
  PENDING(1),
  SCHEDULED(2),
  RUNNING(3),
  COMPLETED(4),
  ERROR(4),
  CANCELED(4);

  private final int rank;

  RunState(int rank) {
    this.rank = rank;
  }

  /** Position on the forward path; a report within one attempt never lowers it. */
  public int rank() {
    return rank;
  }

  /** Finished: the engine is done with this attempt. */
  public boolean isSettled() {
    return rank == 4;
  }

  public boolean isActive() {
    return !isSettled();
  }
}
