package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;

/**
 * Argo's phases in Kaapana's terms, as {@code lifecycle.md} lays down. Argo has no "canceled": a
 * stopped or terminated workflow ends Failed with {@code spec.shutdown} set, which is CANCELED here
 * (stopped on request, by the adapter or by someone in Argo's UI).
 */
final class ArgoStates {

  private ArgoStates() {}

  static EngineRunState runState(String phase, boolean shutdown) {
    if (phase == null || phase.isEmpty()) {
      return EngineRunState.PENDING;
    }
    return switch (phase) {
      case "Pending" -> EngineRunState.PENDING;
      case "Running" -> EngineRunState.RUNNING;
      case "Succeeded" -> EngineRunState.COMPLETED;
      case "Failed", "Error" -> shutdown ? EngineRunState.CANCELED : EngineRunState.ERROR;
      default -> EngineRunState.RUNNING; // a phase of a newer Argo: somewhere in between
    };
  }

  /**
   * A node's phase. In a shut-down workflow, nodes that failed or never ran because of the shutdown
   * are CANCELED.
   */
  static EngineTaskState taskState(String phase, boolean shutdown) {
    if (phase == null || phase.isEmpty()) {
      return shutdown ? EngineTaskState.CANCELED : EngineTaskState.PENDING;
    }
    return switch (phase) {
      case "Pending" -> shutdown ? EngineTaskState.CANCELED : EngineTaskState.PENDING;
      case "Running" -> EngineTaskState.RUNNING;
      case "Succeeded" -> EngineTaskState.COMPLETED;
      case "Failed", "Error" -> shutdown ? EngineTaskState.CANCELED : EngineTaskState.ERROR;
      case "Skipped" -> EngineTaskState.SKIPPED;
      case "Omitted" -> shutdown ? EngineTaskState.CANCELED : EngineTaskState.SKIPPED;
      default -> EngineTaskState.RUNNING;
    };
  }
}
