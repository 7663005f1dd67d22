package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.support.EngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exchanges recorded from real Airflow 2.11 and 3.2 (one of each kind the adapter has: every
 * operation, status and state seen in a TCK run), checked against Airflow's OpenAPI documents
 * without a running Airflow. The live TCK runs check every exchange the same way.
 */
class RecordedExchangesMatchOpenApiTest {

  @ParameterizedTest
  @CsvSource({"airflow-2.11.2.ndjson, 2", "airflow-3.2.2.ndjson, 3"})
  void everyRecordedRequestAndResponseMatchesTheDocument(String file, int major)
      throws IOException {
    List<EngineClient.Exchange> exchanges = canned(file);
    assertThat(exchanges).hasSizeGreaterThan(20);
    OpenApiContract contract = OpenApiContract.forAirflow(major);
    List<String> violations = new ArrayList<>();
    exchanges.forEach(exchange -> violations.addAll(contract.violations(exchange)));
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"airflow-2.11.2.ndjson, 2", "airflow-3.2.2.ndjson, 3"})
  void aRequestOutsideTheDocumentIsCaught(String file, int major) throws IOException {
    OpenApiContract contract = OpenApiContract.forAirflow(major);
    EngineClient.Exchange trigger =
        canned(file).stream()
            .filter(e -> e.method().equals("POST") && e.path().endsWith("/dagRuns"))
            .findFirst()
            .orElseThrow();
    com.fasterxml.jackson.databind.node.ObjectNode body = trigger.requestBody().deepCopy();
    body.put("dag_run_id", 42);
    body.put("run_me_faster", true);
    EngineClient.Exchange broken =
        new EngineClient.Exchange(
            trigger.method(),
            trigger.path(),
            java.util.Map.of("no_such_parameter", "1"),
            body,
            trigger.status(),
            trigger.contentType(),
            trigger.responseBody());
    String violations = String.join("\n", contract.violations(broken));
    assertThat(violations).contains("no_such_parameter").contains("/dag_run_id");
    if (major == 3) {
      // Airflow 3's trigger body allows no other fields; Airflow 2's does not say.
      assertThat(violations).contains("run_me_faster");
    }
  }

  static List<EngineClient.Exchange> canned(String file) throws IOException {
    List<EngineClient.Exchange> exchanges = new ArrayList<>();
    try (InputStream in =
        RecordedExchangesMatchOpenApiTest.class.getResourceAsStream("/exchanges/" + file)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          exchanges.add(AirflowHttp.JSON.readValue(line, EngineClient.Exchange.class));
        }
      }
    }
    return exchanges;
  }
}
