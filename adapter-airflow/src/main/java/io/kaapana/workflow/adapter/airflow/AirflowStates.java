package io.kaapana.workflow.adapter.airflow;

import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import java.time.Instant;

/**
 * Airflow's states in Kaapana's terms: one table per level, as {@code lifecycle.md} lays down.
 * Airflow has no "canceled": the adapter cancels by failing the run and notes that on it, so a
 * failed run with that note is CANCELED, and so are the task instances the cancel ended.
 */
final class AirflowStates {

  private AirflowStates() {}

  /**
   * A DAG run's state. {@code canceledAt} is when the adapter canceled the run (from the run's
   * note), or null.
   */
  static EngineRunState runState(String state, Instant canceledAt) {
    if (state == null) {
      return EngineRunState.PENDING;
    }
    return switch (state) {
      case "queued" -> EngineRunState.SCHEDULED;
      case "running" -> EngineRunState.RUNNING;
      case "success" -> EngineRunState.COMPLETED;
      case "failed" -> canceledAt == null ? EngineRunState.ERROR : EngineRunState.CANCELED;
      // Unknown to this adapter (a newer Airflow): the run is somewhere in between.
      default -> EngineRunState.RUNNING;
    };
  }

  /**
   * A task instance's state. A task instance that was unfinished when the adapter canceled its run
   * (it failed or was skipped at or after {@code canceledAt}, or never started) is CANCELED.
   */
  static EngineTaskState taskState(String state, Instant endedAt, Instant canceledAt) {
    boolean endedByCancel =
        canceledAt != null && (endedAt == null || !endedAt.isBefore(canceledAt));
    if (state == null || state.equals("none")) {
      return canceledAt != null ? EngineTaskState.CANCELED : EngineTaskState.PENDING;
    }
    return switch (state) {
      case "scheduled", "queued" ->
          canceledAt != null ? EngineTaskState.CANCELED : EngineTaskState.SCHEDULED;
      case "running", "restarting", "deferred", "up_for_retry", "up_for_reschedule" ->
          EngineTaskState.RUNNING;
      case "success" -> EngineTaskState.COMPLETED;
      case "failed" -> endedByCancel ? EngineTaskState.CANCELED : EngineTaskState.ERROR;
      case "upstream_failed" ->
          endedByCancel ? EngineTaskState.CANCELED : EngineTaskState.UPSTREAM_FAILED;
      case "skipped" -> endedByCancel ? EngineTaskState.CANCELED : EngineTaskState.SKIPPED;
      case "removed" -> EngineTaskState.SKIPPED;
      default -> EngineTaskState.RUNNING;
    };
  }

  /** Whether a task instance in this state still has work ahead (a cancel must end it). */
  static boolean unfinished(String state) {
    return state == null
        || switch (state) {
          case "success", "failed", "upstream_failed", "skipped", "removed" -> false;
          default -> true;
        };
  }

  /** Whether a try of a task instance in this state will write no more log lines. */
  static boolean tryFinished(String state) {
    return state != null
        && switch (state) {
          case "success", "failed", "upstream_failed", "skipped", "removed", "up_for_retry" -> true;
          default -> false;
        };
  }
}
