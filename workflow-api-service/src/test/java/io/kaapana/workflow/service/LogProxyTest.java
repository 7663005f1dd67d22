package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log endpoint proxied to the adapter that holds the run. The adapter's side is played by a
 * small HTTP server on loopback that answers the adapter log protocol.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class LogProxyTest {
  @TestHTTPResource("/")
  URI base;

  private HttpServer adapterServer;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private String engine;
  private String adapterId;
  private String runId;
  private String token;

  @BeforeEach
  void startAdapter() throws IOException {
    adapterServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    adapterServer.createContext("/v1/runs/", this::answer);
    adapterServer.start();
    engine = unique("eng");
    adapterId = unique("adapter");
    Api.registerAdapter(
        adapterId,
        engine,
        "",
        List.of("CANCEL", "LOGS", "LOG_FOLLOW"),
        60,
        "http://127.0.0.1:" + adapterServer.getAddress().getPort());
    runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    token = Api.claim(adapterId, 10, 0).get(runId);
    Api.report(
            runId,
            token,
            "RUNNING",
            1,
            Map.of(
                "external_id",
                "engine-run-1",
                "task_runs",
                List.of(
                    Map.of(
                        "task_title",
                        "fetch data",
                        "lifecycle_status",
                        "RUNNING",
                        "attempt",
                        2,
                        "external_id",
                        "t-1"),
                    Map.of("task_title", "boom", "lifecycle_status", "RUNNING", "attempt", 1),
                    Map.of("task_title", "evil", "lifecycle_status", "RUNNING", "attempt", 1))))
        .then()
        .statusCode(200);
  }

  @AfterEach
  void stopAdapter() {
    adapterServer.stop(0);
  }

  /** Three lines per attempt in pages of at most two; "boom" fails like a broken engine. */
  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    requests.add(exchange.getRequestURI().toString());
    Map<String, String> query = new HashMap<>();
    if (exchange.getRequestURI().getRawQuery() != null) {
      for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    String body;
    int status = 200;
    if (path.endsWith("/task-runs/evil/logs")) {
      // an adapter whose cursor would forge the end of the stream if written raw
      body =
          "{\"lines\":[{\"time\":\"2026-11-26T17:00:00Z\",\"severity\":\"INFO\","
              + "\"message\":\"first\",\"metadata\":{}}],"
              + "\"next_cursor\":\"1\\r\\nevent: end\\ndata: {}\",\"complete\":false}";
    } else if (path.endsWith("/task-runs/boom/logs")) {
      status = 500;
      body = "{\"status\":500,\"detail\":\"airflow answered 500 Internal Server Error\"}";
    } else {
      int from = query.containsKey("cursor") ? Integer.parseInt(query.get("cursor")) : 0;
      int to = Math.min(3, from + Math.min(2, Integer.parseInt(query.get("limit"))));
      StringBuilder lines = new StringBuilder();
      for (int i = from; i < to; i++) {
        if (lines.length() > 0) {
          lines.append(',');
        }
        lines
            .append("{\"time\":\"2026-11-26T17:00:0")
            .append(i)
            .append("Z\",\"severity\":\"INFO\",\"message\":\"attempt ")
            .append(query.get("attempt"))
            .append(" line ")
            .append(i)
            .append("\",\"metadata\":{}}");
      }
      body =
          "{\"lines\":["
              + lines
              + "],\"next_cursor\":\""
              + to
              + "\",\"complete\":"
              + (to == 3)
              + "}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private String taskId(String title) {
    return json()
        .queryParam("task_title", title)
        .get("/v1/workflow-runs/" + runId + "/task-runs")
        .path("items[0].id");
  }

  @Test
  void pagesOfTheLatestAttemptWithCursors() {
    String task = taskId("fetch data");
    String cursor =
        json()
            .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
            .then()
            .statusCode(200)
            .body("lines", hasSize(2))
            .body("lines[0].message", equalTo("attempt 2 line 0"))
            .body("lines[0].severity", equalTo("INFO"))
            .body("complete", equalTo(false))
            .extract()
            .path("next_cursor");
    json()
        .queryParam("cursor", cursor)
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(200)
        .body("lines.message", equalTo(List.of("attempt 2 line 2")))
        .body("complete", equalTo(true));
    json()
        .queryParam("attempt", "1")
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(200)
        .body("lines[0].message", equalTo("attempt 1 line 0"));
    assertThat(requests.get(0))
        .contains("/v1/runs/" + runId + "/task-runs/fetch%20data/logs")
        .contains("run_external_id=engine-run-1")
        .contains("task_external_id=t-1");
    json()
        .queryParam("attempt", "3")
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(404);
    json()
        .queryParam("limit", "0")
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(400);
  }

  @Test
  void aClientThatAcceptsAnythingGetsTheJsonPageAndOnlyAnAskedForStreamIsAStream()
      throws Exception {
    String path = "/v1/workflow-runs/" + runId + "/task-runs/" + taskId("fetch data") + "/logs";
    for (String accept : new String[] {"*/*", null}) {
      java.net.http.HttpRequest.Builder request =
          java.net.http.HttpRequest.newBuilder(base.resolve(path.substring(1)));
      if (accept != null) {
        request.header("Accept", accept);
      }
      java.net.http.HttpResponse<String> answer =
          java.net.http.HttpClient.newHttpClient()
              .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type").orElse(""))
          .as("Accept: " + accept)
          .startsWith("application/json");
      assertThat(answer.body()).contains("\"lines\"");
    }
    for (String events : new String[] {"/v1/events?limit=1"}) {
      java.net.http.HttpResponse<String> answer =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(base.resolve(events.substring(1)))
                      .header("Accept", "*/*")
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(answer.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
    }
  }

  @Test
  void anEngineFailureIs502NeverA200() {
    json()
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + taskId("boom") + "/logs")
        .then()
        .statusCode(502)
        .body("code", equalTo("engine-error"))
        .body("detail", containsString("airflow answered 500"));
  }

  @Test
  void anUnreachableAdapterIs503() {
    String task = taskId("fetch data");
    adapterServer.stop(0);
    json()
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(503)
        .header("Retry-After", equalTo("5"))
        .body("code", equalTo("adapter-unavailable"))
        .body("retryable", equalTo(true));
  }

  @Test
  void withoutAnActiveAdapterItIs503() {
    String task = taskId("fetch data");
    json().delete("/v1/adapters/" + adapterId).then().statusCode(204);
    json()
        .get("/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs")
        .then()
        .statusCode(503)
        .body("detail", containsString("no active adapter"));
  }

  @Test
  void anAdapterCursorCannotForgeFramesOfAFollow() throws Exception {
    String task = taskId("evil");
    try (SseClient client =
        SseClient.open(
            base, "/v1/workflow-runs/" + runId + "/task-runs/" + task + "/logs?follow=true")) {
      assertThat(client.readHead()).isEqualTo(200);
      client.awaitOpen();
      String frame = client.readUntil("\n\n");
      assertThat(SseClient.field(frame, "event")).containsExactly("log");
      assertThat(SseClient.field(frame, "data")).hasSize(1);
      assertThat(SseClient.field(frame, "id"))
          .as("a cursor with line breaks is left out")
          .isEmpty();
    }
  }

  @Test
  void followStreamsLinesUntilTheTaskSettles() throws Exception {
    String task = taskId("fetch data");
    Api.report(
            runId,
            token,
            "RUNNING",
            1,
            Map.of(
                "task_runs",
                List.of(
                    Map.of(
                        "task_title",
                        "fetch data",
                        "lifecycle_status",
                        "COMPLETED",
                        "attempt",
                        2))))
        .then()
        .statusCode(200);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        base.resolve(
                            "v1/workflow-runs/"
                                + runId
                                + "/task-runs/"
                                + task
                                + "/logs?follow=true"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(response.body())
        .contains("event:log")
        .contains("attempt 2 line 0")
        .contains("attempt 2 line 2")
        .contains("event:end");
  }
}
