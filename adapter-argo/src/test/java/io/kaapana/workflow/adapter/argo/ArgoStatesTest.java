package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** lifecycle.md's Argo row, for every workflow and node phase Argo names. */
class ArgoStatesTest {

  @ParameterizedTest
  @CsvSource({
    "'', false, PENDING",
    "Pending, false, PENDING",
    "Running, false, RUNNING",
    "Succeeded, false, COMPLETED",
    "Failed, false, ERROR",
    "Error, false, ERROR",
    "Failed, true, CANCELED",
    "Error, true, CANCELED",
    "Succeeded, true, COMPLETED"
  })
  void workflowPhases(String phase, boolean shutdown, EngineRunState expected) {
    assertThat(ArgoStates.runState(phase, shutdown)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "'', false, PENDING",
    "Pending, false, PENDING",
    "Running, false, RUNNING",
    "Succeeded, false, COMPLETED",
    "Failed, false, ERROR",
    "Error, false, ERROR",
    "Skipped, false, SKIPPED",
    "Omitted, false, SKIPPED",
    "Pending, true, CANCELED",
    "Failed, true, CANCELED",
    "Omitted, true, CANCELED",
    "Skipped, true, SKIPPED",
    "Succeeded, true, COMPLETED"
  })
  void nodePhases(String phase, boolean shutdown, EngineTaskState expected) {
    assertThat(ArgoStates.taskState(phase, shutdown)).isEqualTo(expected);
  }
}
