package io.kaapana.workflow.service.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.config.TracingSwitchProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing follows the endpoint: set by a user's source, on; only Quarkus' default, off. */
class TracingSwitchTest {
  @Test
  void anEndpointFromTheEnvironmentOrAFileTurnsTracingOnAQuarkusDefaultDoesNot() {
    assertThat(
            TracingSwitchProbe.configured(
                Map.of("quarkus.otel.exporter.otlp.endpoint", "http://otel:4317"), 300))
        .isTrue();
    assertThat(
            TracingSwitchProbe.configured(
                Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://otel:4318"), 260))
        .isTrue();
    assertThat(
            TracingSwitchProbe.configured(
                Map.of("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317"),
                Integer.MIN_VALUE))
        .isFalse();
    assertThat(TracingSwitchProbe.configured(Map.of(), 300)).isFalse();
  }
}
