package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request the adapter sends, against a loopback server answering like argo-server, checked
 * against argo-server's Swagger documents of 3.7 and 4.1. (The stub that simulates the controller
 * for the TCK comes next; this one only answers.)
 */
class ArgoAdapterRequestsTest {
  private static final String TEMPLATE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: WorkflowTemplate
      metadata: {name: ignored, labels: {x: y}}
      spec:
        entrypoint: main
        templates:
          - name: main
            dag:
              tasks:
                - {name: fetch, template: step}
                - {name: convert, template: step, dependencies: [fetch]}
          - name: step
            container: {image: busybox, command: [echo, hi]}
      """;

  @TempDir Path data;

  private HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> templates = ConcurrentHashMap.newKeySet();
  private final Set<String> workflows = ConcurrentHashMap.newKeySet();
  private WorkflowAdapter adapter;
  private volatile boolean podsGone;

  record Request(String method, String path, Map<String, String> query, JsonNode body) {}

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/", this::answer);
    server.createContext(
        "/artifacts/kaapana/kaapana-r-1/n1/main-logs",
        exchange -> {
          requests.add(new Request("GET", exchange.getRequestURI().getPath(), Map.of(), null));
          byte[] text =
              "2026-11-26T20:00:01.5Z fetching 3 series\n2026-11-26T20:00:02Z done\n"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, text.length);
          exchange.getResponseBody().write(text);
          exchange.close();
        });
    server.start();
    adapter =
        new ArgoAdapterFactory()
            .create(
                AdapterConfig.of(
                    "argo.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "argo.namespace", "kaapana",
                    "argo.token", "t0k3n"),
                new Context(data));
  }

  @AfterEach
  void stop() {
    adapter.close();
    server.stop(0);
  }

  @Test
  void everyRequestMatchesArgoServersSwaggerDocuments() throws Exception {
    RevisionSpec revision =
        new RevisionSpec("01a21990-29a9-7197-b97b-57fb891741e5", 2, "t", TEMPLATE, null, Map.of());
    Deployment deployment = adapter.deploy(revision);
    assertThat(deployment.valid()).as("%s", deployment.messages()).isTrue();
    assertThat(deployment.engineRef()).isEqualTo("kaapana-01a21990-29a9-7197-b97b-57fb891741e5-v2");
    assertThat(deployment.tasks())
        .extracting(t -> t.title() + "->" + t.downstream())
        .containsExactly("fetch->[convert]", "convert->[]");

    Deployment invalid =
        adapter.deploy(
            new RevisionSpec("w2", 1, "t", "spec: {entrypoint: nowhere}", null, Map.of()));
    assertThat(invalid.valid()).isFalse();
    assertThat(invalid.messages()).singleElement().asString().contains("entrypoint nowhere");

    RunSpec run =
        new RunSpec(
            new RunRef("r-1", null, deployment.engineRef(), 1),
            revision,
            Map.of("series", "1.2.3", "options", Map.of("fast", true)),
            Map.of("kaapana.experiment", "exp:7"),
            List.of());
    assertThat(adapter.submit(run)).isEqualTo("kaapana-r-1");
    assertThat(adapter.submit(run)).as("a replay adopts the workflow").isEqualTo("kaapana-r-1");
    RunRef ref = new RunRef("r-1", "kaapana-r-1", deployment.engineRef(), 1);
    assertThat(adapter.observeAll(List.of(ref))).hasSize(1);
    adapter.cancel(ref, false);
    adapter.cancel(ref, true);
    assertThat(adapter.retry(run, RetryScope.FAILED)).isEqualTo(2);
    assertThat(adapter.retryTask(run, "convert")).isEqualTo(2);

    LogPage first = adapter.readLogs(new LogQuery(ref, "fetch", null, 1, null, 1));
    assertThat(first.lines())
        .extracting(LogPage.LogLine::message)
        .containsExactly("fetching 3 series");
    assertThat(first.lines().get(0).time()).isEqualTo(Instant.parse("2026-11-26T20:00:01.5Z"));
    assertThat(first.complete()).isFalse();
    LogPage rest = adapter.readLogs(new LogQuery(ref, "fetch", null, 1, first.nextCursor(), 10));
    assertThat(rest.lines()).extracting(LogPage.LogLine::message).containsExactly("done");
    assertThat(rest.complete()).isTrue();
    podsGone = true;
    assertThat(adapter.readLogs(new LogQuery(ref, "fetch", null, 1, null, 10)).lines())
        .as("from the main-logs artifact once the pod is gone")
        .extracting(LogPage.LogLine::message)
        .containsExactly("fetching 3 series", "done");
    assertThatThrownBy(() -> adapter.readLogs(new LogQuery(ref, "fetch", null, 2, null, 10)))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(
            () ->
                adapter.readLogs(new LogQuery(ref, "fetch", null, 1, first.nextCursor() + "x", 1)))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));

    JsonNode submit =
        requests.stream()
            .filter(r -> r.path().endsWith("/submit"))
            .findFirst()
            .orElseThrow()
            .body();
    assertThat(submit.path("resourceName").asText()).isEqualTo(deployment.engineRef());
    JsonNode options = submit.path("submitOptions");
    assertThat(options.path("name").asText()).isEqualTo("kaapana-r-1");
    assertThat(options.path("labels").asText())
        .startsWith("kaapana.experiment=exp-7-")
        .endsWith(",kaapana.io/run-id=r-1");
    assertThat(options.path("parameters").toString())
        .contains("series=1.2.3")
        .contains("options={\\\"fast\\\":true}");
    assertThat(requests)
        .extracting(r -> r.method() + " " + r.path())
        .contains(
            "PUT /api/v1/workflows/kaapana/kaapana-r-1/stop",
            "PUT /api/v1/workflows/kaapana/kaapana-r-1/terminate",
            "PUT /api/v1/workflows/kaapana/kaapana-r-1/retry");

    for (String document :
        List.of("argo-workflows-3.7.18-swagger.json", "argo-workflows-4.1.2-swagger.json")) {
      SwaggerContract contract = SwaggerContract.load(document);
      List<String> violations = new ArrayList<>();
      requests.stream()
          .filter(r -> r.path().startsWith("/api/"))
          .forEach(
              r ->
                  violations.addAll(
                      contract.violations(r.method(), r.path(), r.query(), r.body())));
      assertThat(violations).as(document).isEmpty();
    }
  }

  @Test
  void theSwaggerCheckCatchesWhatArgoServerWouldRefuse() throws Exception {
    SwaggerContract contract = SwaggerContract.load("argo-workflows-4.1.2-swagger.json");
    JsonNode body =
        ArgoHttp.JSON.readTree(
            "{\"namespace\":\"kaapana\",\"resourceKind\":\"WorkflowTemplate\","
                + "\"submitOptions\":{\"priority\":\"high\",\"parameters\":\"a=b\"}}");
    assertThat(
            String.join(
                "\n",
                contract.violations(
                    "POST", "/api/v1/workflows/kaapana/submit", Map.of("dryRun", "true"), body)))
        .contains("query parameter dryRun is not declared")
        .contains("/submitOptions/priority")
        .contains("/submitOptions/parameters");
    assertThat(contract.violations("PUT", "/api/v1/workflows/kaapana/x/explode", Map.of(), null))
        .singleElement()
        .asString()
        .contains("no such path");
  }

  // --- a server that answers like argo-server ----------------------------------------------

  private void answer(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    byte[] in = exchange.getRequestBody().readAllBytes();
    JsonNode body = in.length == 0 ? null : ArgoHttp.JSON.readTree(in);
    requests.add(new Request(method, path, query, body));
    if (!"Bearer t0k3n".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"code\":16,\"message\":\"token not valid\"}");
      return;
    }
    String ns = "/api/v1/workflow-templates/kaapana";
    String wf = "/api/v1/workflows/kaapana";
    if (path.equals("/api/v1/version")) {
      send(exchange, 200, "{\"version\":\"v3.7.18\"}");
    } else if (path.equals(ns + "/lint")) {
      String entrypoint = body.path("template").path("spec").path("entrypoint").asText();
      boolean known = false;
      for (JsonNode t : body.path("template").path("spec").path("templates")) {
        known |= t.path("name").asText().equals(entrypoint);
      }
      send(
          exchange,
          known ? 200 : 400,
          known
              ? body.path("template").toString()
              : "{\"code\":3,\"message\":\"spec.entrypoint "
                  + entrypoint
                  + " template not found\"}");
    } else if (path.startsWith(ns + "/") && method.equals("GET")) {
      String name = path.substring(ns.length() + 1);
      send(
          exchange,
          templates.contains(name) ? 200 : 404,
          templates.contains(name) ? "{}" : "{\"code\":5,\"message\":\"not found\"}");
    } else if (path.equals(ns) && method.equals("POST")) {
      templates.add(body.path("template").path("metadata").path("name").asText());
      send(exchange, 200, body.path("template").toString());
    } else if (path.equals(wf + "/submit")) {
      String name = body.path("submitOptions").path("name").asText();
      boolean fresh = workflows.add(name);
      send(
          exchange,
          fresh ? 200 : 409,
          fresh
              ? workflow(name, "Running")
              : "{\"code\":6,\"message\":\"workflows.argoproj.io \\\""
                  + name
                  + "\\\" already exists\"}");
    } else if (path.equals(wf) && method.equals("GET")) {
      send(
          exchange,
          200,
          "{\"items\":[" + workflow("kaapana-r-1", "Running") + "],\"metadata\":{}}");
    } else if (path.endsWith("/log") && method.equals("GET")) {
      String expectedPod =
          "kaapana-r-1-step-" + Integer.toUnsignedString(ArgoNames.fnv32a("kaapana-r-1.fetch"));
      if (podsGone || !expectedPod.equals(query.get("podName"))) {
        send(
            exchange,
            404,
            "{\"code\":5,\"message\":\"pods \\\"" + query.get("podName") + "\\\" not found\"}");
      } else {
        send(
            exchange,
            200,
            "{\"result\":{\"content\":\"2026-11-26T20:00:01.5Z fetching 3 series\",\"podName\":\""
                + expectedPod
                + "\"}}\n{\"result\":{\"content\":\"2026-11-26T20:00:02Z done\",\"podName\":\""
                + expectedPod
                + "\"}}\n");
      }
    } else if (path.startsWith(wf + "/") && method.equals("GET")) {
      send(exchange, 200, workflow(path.substring(wf.length() + 1), "Running"));
    } else if (path.startsWith(wf + "/") && method.equals("PUT")) {
      send(exchange, 200, workflow(body.path("name").asText(), "Running"));
    } else {
      send(exchange, 404, "{\"code\":5,\"message\":\"no route\"}");
    }
  }

  private static String workflow(String name, String phase) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"kaapana.io/run-id\":\""
        + name.substring("kaapana-".length())
        + "\"}},\"spec\":{},\"status\":{\"phase\":\""
        + phase
        + "\",\"nodes\":{\"n1\":{\"id\":\"n1\",\"name\":\"kaapana-r-1.fetch\","
        + "\"displayName\":\"fetch\",\"type\":\"Pod\",\"templateName\":\"step\","
        + "\"phase\":\"Succeeded\"}}}}";
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private record Context(Path data) implements AdapterContext {
    @Override
    public String instanceId() {
      return "test";
    }

    @Override
    public Path dataDirectory() {
      return data;
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public void runChanged(String runId) {}
  }
}
