package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP endpoint the Workflow API calls (docs/adapter-protocol.md, section 5):
 *
 * <ul>
 *   <li>{@code GET /v1/runs/{run_id}/task-runs/{task_title}/logs?attempt&cursor&limit
 *       &run_external_id&task_external_id[&wait_seconds]}: a log page; with {@code wait_seconds} it
 *       waits for new lines (adapters with {@code LOG_FOLLOW}).
 *   <li>{@code GET /metrics}: Prometheus text; {@code GET /health}: 200 while running.
 * </ul>
 *
 * Failures are problem documents: 400 for a query the adapter refuses, 404 for an unknown task or
 * attempt, 503 when the engine is unavailable, 502 when it failed.
 */
final class AdapterEndpoint implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdapterEndpoint.class.getName());
  private static final Pattern LOGS = Pattern.compile("/v1/runs/([^/]+)/task-runs/([^/]+)/logs/?");
  private static final int MAX_LIMIT = 5000;

  private final HttpServer server;
  private final ExecutorService executor;
  private final WorkflowAdapter adapter;
  private final EngineMetrics metrics;
  private final ObjectMapper json;
  private final ServiceTokenCheck serviceTokens;

  /**
   * @param serviceTokens the check of the service's token on the log endpoint; null to answer
   *     without one (no identity provider)
   */
  AdapterEndpoint(
      String host,
      int port,
      WorkflowAdapter adapter,
      EngineMetrics metrics,
      ObjectMapper json,
      ServiceTokenCheck serviceTokens)
      throws IOException {
    this.adapter = adapter;
    this.serviceTokens = serviceTokens;
    this.metrics = metrics;
    this.json = json;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread thread = new Thread(r, "adapter-endpoint");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      if (!exchange.getRequestMethod().equals("GET")) {
        problem(exchange, 405, "method-not-allowed", "only GET is served here");
        return;
      }
      String path = uri.getRawPath();
      if (path.equals("/metrics")) {
        send(
            exchange,
            200,
            "text/plain; version=0.0.4",
            metrics.prometheus().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (path.equals("/health")) {
        send(
            exchange,
            200,
            "application/json",
            "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      Matcher m = LOGS.matcher(path);
      if (!m.matches()) {
        problem(exchange, 404, "not-found", "no such endpoint: " + path);
        return;
      }
      if (serviceTokens != null) {
        Optional<String> refusal =
            serviceTokens.refusal(exchange.getRequestHeaders().getFirst("Authorization"));
        if (refusal.isPresent()) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
          problem(exchange, 401, "unauthorized", refusal.get());
          return;
        }
      }
      logs(exchange, decode(m.group(1)), decode(m.group(2)), query(uri.getRawQuery()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the adapter endpoint failed", e);
    }
  }

  private void logs(HttpExchange exchange, String runId, String task, Map<String, String> query)
      throws IOException {
    int attempt;
    int limit;
    int waitSeconds;
    try {
      attempt = intParam(query, "attempt", 1, 1, Integer.MAX_VALUE);
      limit = intParam(query, "limit", 1000, 1, MAX_LIMIT);
      waitSeconds = intParam(query, "wait_seconds", 0, 0, 30);
    } catch (IllegalArgumentException e) {
      problem(exchange, 400, "invalid-query", e.getMessage());
      return;
    }
    RunRef run = new RunRef(runId, query.get("run_external_id"), null, 1);
    LogQuery logQuery =
        new LogQuery(run, task, query.get("task_external_id"), attempt, query.get("cursor"), limit);
    long started = System.nanoTime();
    try {
      boolean follow = waitSeconds > 0 && adapter.capabilities().contains(Capability.LOG_FOLLOW);
      LogPage page =
          follow
              ? adapter.followLogs(logQuery, Duration.ofSeconds(waitSeconds))
              : adapter.readLogs(logQuery);
      metrics.engineCall("read_logs", "ok", System.nanoTime() - started);
      send(exchange, 200, "application/json", json.writeValueAsBytes(page(page)));
    } catch (AdapterException e) {
      metrics.engineCall(
          "read_logs",
          e.code().name().toLowerCase(java.util.Locale.ROOT),
          System.nanoTime() - started);
      switch (e.code()) {
        case NOT_FOUND -> problem(exchange, 404, "not-found", e.getMessage());
        case INVALID_REQUEST -> problem(exchange, 400, "invalid-query", e.getMessage());
        case UNAVAILABLE -> problem(exchange, 503, "adapter-unavailable", e.getMessage());
        case UNSUPPORTED -> problem(exchange, 501, "not-supported-by-engine", e.getMessage());
        default -> problem(exchange, 502, "engine-error", e.getMessage());
      }
    }
  }

  private static Map<String, Object> page(LogPage page) {
    List<Map<String, Object>> lines = new ArrayList<>(page.lines().size());
    for (LogPage.LogLine line : page.lines()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("time", line.time().toString());
      json.put("severity", line.severity().name());
      json.put("message", line.message());
      json.put("metadata", line.metadata());
      lines.add(json);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("lines", lines);
    json.put("next_cursor", page.nextCursor());
    json.put("complete", page.complete());
    return json;
  }

  private void problem(HttpExchange exchange, int status, String code, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:kaapana:workflow-api:problem:" + code);
    body.put("title", code.replace('-', ' '));
    body.put("status", status);
    body.put("detail", detail);
    body.put("code", code);
    send(exchange, status, "application/problem+json", json.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static int intParam(
      Map<String, String> query, String name, int fallback, int min, int max) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return query;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
