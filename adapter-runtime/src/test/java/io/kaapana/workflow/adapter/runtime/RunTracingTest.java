package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Scope;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A run's trace in the runtime: what its calls to the service carry, and what it exports to an OTLP
 * endpoint (a loopback HTTP server that keeps what it is sent).
 */
class RunTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String RUN_TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @Test
  void withoutAnEndpointTheRunsContextIsPassedOnAsItCame() throws AdapterException {
    try (RunTracing tracing =
        RunTracing.configured("local", "local-1", Map.of(), new Properties())) {
      assertThat(tracing.headers().headers()).as("outside a run").isEmpty();
      try (Scope run = RunTracing.runContext(RUN_TRACEPARENT).makeCurrent()) {
        Map<String, String> inSpan =
            tracing.inSpan("engine.submit", Attributes.empty(), () -> tracing.headers().headers());
        assertThat(inSpan).containsEntry("traceparent", RUN_TRACEPARENT);
      }
    }
  }

  @Test
  void anInvalidTraceparentStartsNoTrace() {
    for (String invalid :
        new String[] {"", "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01"}) {
      try (Scope run = RunTracing.runContext(invalid).makeCurrent()) {
        assertThat(RunTracing.passOnOnly().headers().headers()).as(invalid).isEmpty();
      }
    }
  }

  @Test
  void withAnEndpointSpansOfTheRunAreExportedInItsTrace() throws Exception {
    List<byte[]> exports = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          exports.add(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try {
      String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
      Map<String, String> headers;
      try (RunTracing tracing =
          RunTracing.configured(
              "local",
              "local-1",
              Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint),
              new Properties())) {
        try (Scope run = RunTracing.runContext(RUN_TRACEPARENT).makeCurrent()) {
          headers =
              tracing.inSpan(
                  "engine.submit", Attributes.empty(), () -> tracing.headers().headers());
        }
      } // close() exports what is buffered

      assertThat(headers.get("traceparent"))
          .as("the span's own id, in the run's trace")
          .startsWith("00-" + TRACE_ID + "-")
          .isNotEqualTo(RUN_TRACEPARENT);
      assertThat(exports).isNotEmpty();
      byte[] all = concat(exports);
      assertThat(indexOf(all, HexFormat.of().parseHex(TRACE_ID))).isNotNegative();
      assertThat(indexOf(all, "engine.submit".getBytes(StandardCharsets.UTF_8))).isNotNegative();
      assertThat(indexOf(all, "kaapana-workflow-adapter-local".getBytes(StandardCharsets.UTF_8)))
          .as("the service name")
          .isNotNegative();
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void invalidOpenTelemetrySettingsStopTheStart() {
    assertThatThrownBy(
            () ->
                RunTracing.configured(
                    "local",
                    "local-1",
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:4318",
                        "OTEL_TRACES_EXPORTER",
                        "no-such-exporter"),
                    new Properties()))
        .isInstanceOf(AdapterException.class)
        .satisfies(
            e -> assertThat(((AdapterException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG))
        .hasMessageContaining("OTEL_")
        .hasMessageContaining("no-such-exporter");
  }

  private static byte[] concat(List<byte[]> parts) {
    int size = parts.stream().mapToInt(p -> p.length).sum();
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
