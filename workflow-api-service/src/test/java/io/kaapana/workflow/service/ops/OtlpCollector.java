package io.kaapana.workflow.service.ops;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace receiver on loopback: it answers every export with 200 and keeps the request
 * bodies (protobuf), which the test searches for what it expects.
 */
public class OtlpCollector implements QuarkusTestResourceLifecycleManager {
  static final List<byte[]> EXPORTS = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server.createContext(
        "/v1/traces",
        exchange -> {
          EXPORTS.add(exchange.getRequestBody().readAllBytes());
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return Map.of(
        "quarkus.otel.exporter.otlp.traces.endpoint",
        "http://127.0.0.1:" + server.getAddress().getPort(),
        "quarkus.otel.exporter.otlp.traces.protocol",
        "http/protobuf",
        "quarkus.otel.bsp.schedule.delay",
        "200ms");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
