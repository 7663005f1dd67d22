package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRecordIsOneJsonLineWithTheAdapterTheRunAndTheTraceAsFields() throws Exception {
    UUID runId = UUID.fromString("01a2194f-d4e4-711e-b000-000000000001");
    LogRecord record = new LogRecord(Level.WARNING, "run {0}: engine said\nFORGED ERROR");
    record.setParameters(new Object[] {runId});
    record.setInstant(Instant.parse("2026-12-02T12:00:00.123Z"));
    record.setLoggerName("io.kaapana.workflow.adapter.runtime.RunWork");
    record.setThrown(new IllegalStateException("boom"));
    LogFields.adapter("local-1");

    String line;
    try (Scope trace =
            RunTracing.runContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .makeCurrent();
        LogFields.Scope fields = LogFields.run(runId)) {
      line = new JsonLogFormatter().format(record);
    }

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r");
    JsonNode json = JSON.readTree(line);
    assertThat(json.path("timestamp").asText()).isEqualTo("2026-12-02T12:00:00.123Z");
    assertThat(json.path("level").asText()).isEqualTo("WARNING");
    assertThat(json.path("loggerName").asText())
        .isEqualTo("io.kaapana.workflow.adapter.runtime.RunWork");
    assertThat(json.path("message").asText())
        .isEqualTo("run " + runId + ": engine said\nFORGED ERROR");
    assertThat(json.path("mdc").path("adapter_id").asText()).isEqualTo("local-1");
    assertThat(json.path("mdc").path("run_id").asText()).isEqualTo(runId.toString());
    assertThat(json.path("mdc").path("traceId").asText())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.path("mdc").path("spanId").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(json.path("exception").asText()).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void outsideARunTheLineNamesNoRunAndNoTrace() throws Exception {
    LogFields.adapter("local-1");
    JsonNode json =
        JSON.readTree(new JsonLogFormatter().format(new LogRecord(Level.INFO, "registered")));

    assertThat(json.path("mdc").has("run_id")).isFalse();
    assertThat(json.path("mdc").has("traceId")).isFalse();
    assertThat(json.has("exception")).isFalse();
  }
}
