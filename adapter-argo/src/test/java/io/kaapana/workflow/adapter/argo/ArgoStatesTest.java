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

  /** The phases argo-server documents (in the models' descriptions) are those the tables test. */
  @ParameterizedTest
  @CsvSource({"argo-workflows-3.7.18-swagger.json", "argo-workflows-4.1.2-swagger.json"})
  void theTablesCoverEveryPhaseArgoDocuments(String document) throws Exception {
    com.fasterxml.jackson.databind.JsonNode definitions;
    try (java.io.InputStream in = getClass().getResourceAsStream("/swagger/" + document)) {
      definitions = ArgoHttp.JSON.readTree(in).path("definitions");
    }
    assertThat(quoted(definitions, "io.argoproj.workflow.v1alpha1.WorkflowStatus"))
        .containsExactlyInAnyOrder("", "Pending", "Running", "Succeeded", "Failed", "Error");
    assertThat(quoted(definitions, "io.argoproj.workflow.v1alpha1.NodeStatus"))
        .containsExactlyInAnyOrder(
            "Pending", "Running", "Succeeded", "Skipped", "Failed", "Error", "Omitted");
  }

  private static java.util.Set<String> quoted(
      com.fasterxml.jackson.databind.JsonNode definitions, String model) {
    String description =
        definitions.path(model).path("properties").path("phase").path("description").asText();
    java.util.Set<String> values = new java.util.HashSet<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"([A-Za-z]*)\"").matcher(description);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }
}
