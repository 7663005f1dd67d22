package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The state tables of lifecycle.md, row by row, and their coverage of Airflow's own enums. */
class AirflowStatesTest {
  private static final Instant CANCELED_AT = Instant.parse("2026-11-26T20:00:00Z");

  /** Every task instance state Airflow 2.10 (v1) and 3.2 (v2) name; null is "no state yet". */
  private static final Map<String, EngineTaskState> TASK_TABLE = new LinkedHashMap<>();

  static {
    TASK_TABLE.put("none", EngineTaskState.PENDING);
    TASK_TABLE.put("scheduled", EngineTaskState.SCHEDULED);
    TASK_TABLE.put("queued", EngineTaskState.SCHEDULED);
    TASK_TABLE.put("running", EngineTaskState.RUNNING);
    TASK_TABLE.put("restarting", EngineTaskState.RUNNING);
    TASK_TABLE.put("deferred", EngineTaskState.RUNNING);
    TASK_TABLE.put("up_for_retry", EngineTaskState.RUNNING);
    TASK_TABLE.put("up_for_reschedule", EngineTaskState.RUNNING);
    TASK_TABLE.put("success", EngineTaskState.COMPLETED);
    TASK_TABLE.put("failed", EngineTaskState.ERROR);
    TASK_TABLE.put("upstream_failed", EngineTaskState.UPSTREAM_FAILED);
    TASK_TABLE.put("skipped", EngineTaskState.SKIPPED);
    TASK_TABLE.put("removed", EngineTaskState.SKIPPED);
  }

  @ParameterizedTest
  @CsvSource({
    "queued, SCHEDULED",
    "running, RUNNING",
    "success, COMPLETED",
    "failed, ERROR",
    "a_state_of_airflow_4, RUNNING"
  })
  void dagRunStates(String airflow, EngineRunState expected) {
    assertThat(AirflowStates.runState(airflow, null)).isEqualTo(expected);
  }

  @Test
  void aRunWithoutStateIsPendingAndAFailedRunTheAdapterCanceledIsCanceled() {
    assertThat(AirflowStates.runState(null, null)).isEqualTo(EngineRunState.PENDING);
    assertThat(AirflowStates.runState("failed", CANCELED_AT)).isEqualTo(EngineRunState.CANCELED);
    assertThat(AirflowStates.runState("success", CANCELED_AT))
        .as("finished before the cancel took")
        .isEqualTo(EngineRunState.COMPLETED);
  }

  @Test
  void everyTaskInstanceStateMapsAsTheTableSays() {
    TASK_TABLE.forEach(
        (airflow, expected) ->
            assertThat(AirflowStates.taskState(airflow, null, null))
                .as(airflow)
                .isEqualTo(expected));
    assertThat(AirflowStates.taskState(null, null, null)).isEqualTo(EngineTaskState.PENDING);
  }

  @Test
  void theTableCoversEveryStateInAirflowsOpenApiDocuments() throws Exception {
    Set<String> documented = new java.util.HashSet<>();
    documented.addAll(enumOf("airflow-2.10-v1.yaml", "TaskState"));
    documented.addAll(enumOf("airflow-3.2-v2.yaml", "TaskInstanceState"));
    documented.remove(null);
    assertThat(TASK_TABLE.keySet()).containsAll(documented);

    Set<String> runStates = new java.util.HashSet<>();
    runStates.addAll(enumOf("airflow-2.10-v1.yaml", "DagState"));
    runStates.addAll(enumOf("airflow-3.2-v2.yaml", "DagRunState"));
    assertThat(runStates).containsExactlyInAnyOrder("queued", "running", "success", "failed");
  }

  @Test
  void whatTheCancelEndedIsCanceledWhatEndedBeforeKeepsItsState() {
    Instant before = CANCELED_AT.minusSeconds(60);
    Instant after = CANCELED_AT.plusMillis(5);
    assertThat(AirflowStates.taskState("failed", after, CANCELED_AT))
        .isEqualTo(EngineTaskState.CANCELED);
    assertThat(AirflowStates.taskState("skipped", after, CANCELED_AT))
        .isEqualTo(EngineTaskState.CANCELED);
    assertThat(AirflowStates.taskState("upstream_failed", after, CANCELED_AT))
        .isEqualTo(EngineTaskState.CANCELED);
    assertThat(AirflowStates.taskState(null, null, CANCELED_AT))
        .isEqualTo(EngineTaskState.CANCELED);
    assertThat(AirflowStates.taskState("failed", before, CANCELED_AT))
        .as("failed on its own before the cancel")
        .isEqualTo(EngineTaskState.ERROR);
    assertThat(AirflowStates.taskState("success", after, CANCELED_AT))
        .isEqualTo(EngineTaskState.COMPLETED);
  }

  @Test
  void triesEndWithSettledStatesAndARetryWait() {
    assertThat(AirflowStates.tryFinished("up_for_retry")).isTrue();
    assertThat(AirflowStates.tryFinished("running")).isFalse();
    assertThat(AirflowStates.tryFinished(null)).isFalse();
    assertThat(AirflowStates.unfinished("deferred")).isTrue();
    assertThat(AirflowStates.unfinished(null)).isTrue();
    assertThat(AirflowStates.unfinished("skipped")).isFalse();
  }

  private static Set<String> enumOf(String document, String schema) throws Exception {
    try (InputStream in = AirflowStatesTest.class.getResourceAsStream("/openapi/" + document)) {
      JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(in);
      Set<String> values = new java.util.HashSet<>();
      for (JsonNode value : spec.path("components").path("schemas").path(schema).path("enum")) {
        values.add(value.isNull() ? null : value.asText());
      }
      assertThat(values).as(schema + " in " + document).isNotEmpty();
      return values;
    }
  }
}
