package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One setting turns the packaged service's log into JSON lines with the ids as fields. */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workDir;
  @TempDir Path home;

  @Test
  void withKaapanaLogJsonEveryLineIsJsonAndOperationalEventsCarryTheirIds() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        PackagedApp service =
            PackagedApp.start(
                PackagedApp.SERVICE,
                workDir,
                home,
                Map.of(
                    "KAAPANA_LOG_JSON", "true",
                    "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres"))) {
      service.awaitReady();
      HttpResponse<String> registered =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(service.url + "/v1/adapters/json-log-adapter"))
                      .header("Content-Type", "application/json")
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"workflow_engine\": \"local\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JsonNode event = null;
      while (event == null && System.nanoTime() < deadline) {
        for (JsonNode line : records(service)) {
          if ("adapter.registered".equals(line.path("mdc").path("event").asText())) {
            event = line;
          }
        }
        Thread.sleep(200);
      }
      assertThat(event).as("an adapter.registered record in:\n%s", service.output()).isNotNull();
      assertThat(event.path("loggerName").asText()).isEqualTo("kaapana.operations");
      assertThat(event.path("level").asText()).isEqualTo("INFO");
      assertThat(event.path("mdc").path("adapter_id").asText()).isEqualTo("json-log-adapter");
      assertThat(event.path("message").asText()).startsWith("adapter.registered");
    }
  }

  /** Every line of the log, each of which must be a JSON object. */
  private static List<JsonNode> records(PackagedApp service) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (String line : service.outputLines()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
      records.add(node);
    }
    return records;
  }
}
