package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.service.streams.StreamSlots;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live streams end their server-side work when their clients leave, hold no thread while they wait,
 * and start at "now" unless told otherwise; a claim whose caller left assigns nothing.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class StreamLifecycleTest {
  private static final int STREAMS = 1000;
  private static final int AT_ONCE = 250;

  @TestHTTPResource("/")
  URI base;

  @Inject StreamSlots slots;

  private HttpServer adapterServer;
  private final AtomicInteger adapterRequests = new AtomicInteger();

  @BeforeEach
  void startAdapter() throws IOException {
    adapterServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    adapterServer.createContext("/v1/runs/", this::answer);
    adapterServer.start();
  }

  @AfterEach
  void stopAdapter() {
    adapterServer.stop(0);
  }

  /** A log that never ends: one line, then nothing new, never complete. */
  private void answer(HttpExchange exchange) throws IOException {
    adapterRequests.incrementAndGet();
    boolean first = !exchange.getRequestURI().getRawQuery().contains("cursor=");
    String body =
        first
            ? "{\"lines\":[{\"time\":\"2026-11-26T17:00:00Z\",\"severity\":\"INFO\",\"message\":\"working\",\"metadata\":{}}],\"next_cursor\":\"1\",\"complete\":false}"
            : "{\"lines\":[],\"next_cursor\":\"1\",\"complete\":false}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static int threads() {
    return Thread.getAllStackTraces().size();
  }

  @Test
  void abandonedEventStreamsAndLogFollowsEndServerSide() throws Exception {
    Api.RunningTask task =
        Api.runningTask("http://127.0.0.1:" + adapterServer.getAddress().getPort());
    String runId = task.runId();
    String taskId = task.taskRunId();
    String follow = "/v1/workflow-runs/" + runId + "/task-runs/" + taskId + "/logs?follow=true";

    int threadsBefore = threads();
    int mostThreads = 0;
    for (int opened = 0; opened < STREAMS; opened += AT_ONCE) {
      List<SseClient> clients = new ArrayList<>();
      for (int i = 0; i < AT_ONCE; i++) {
        SseClient client =
            i % 2 == 0 ? SseClient.open(base, "/v1/events") : SseClient.open(base, follow);
        clients.add(client);
        assertThat(client.readHead()).isEqualTo(200);
        client.awaitOpen();
      }
      assertThat(slots.open()).isEqualTo(AT_ONCE);
      mostThreads = Math.max(mostThreads, threads());
      for (SseClient client : clients) {
        client.close();
      }
    }
    // 250 open streams at a time did not take a thread each
    assertThat(mostThreads - threadsBefore).isLessThan(40);

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> slots.open() == 0);
    int requestsAfterLeaving = adapterRequests.get();
    Awaitility.await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    assertThat(adapterRequests.get())
        .as("adapter requests after every follower left")
        .isEqualTo(requestsAfterLeaving);
    assertThat(threads() - threadsBefore).isLessThan(20);
    json().get("/v1/workflow-runs/" + runId).then().statusCode(200);
    json().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void aStreamWithoutAPositionStartsWithTheNextEvent() throws Exception {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    try (SseClient client = SseClient.open(base, "/v1/events?workflow_run_id=" + runId)) {
      assertThat(client.readHead()).isEqualTo(200);
      client.awaitOpen();
      Api.event(runId, Map.of("type", "CANCEL")).then().statusCode(200);
      String frame = client.readUntil("\n\n");
      assertThat(SseClient.field(frame, "event")).containsExactly("workflow_run.status_changed");
    }
    // the whole history is still there for a client that asks from the start
    try (SseClient client =
        SseClient.open(base, "/v1/events?workflow_run_id=" + runId + "&after=0")) {
      client.readHead();
      client.awaitOpen();
      assertThat(SseClient.field(client.readUntil("\n\n"), "event"))
          .containsExactly("workflow_run.created");
    }
  }

  @Test
  void aClaimWhoseCallerLeftAssignsNothing() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String gone = unique("adapter");
    Api.registerAdapter(gone, engine, "", List.of("CANCEL"), 60, null);
    Api.claim(gone, 10, 0); // the revision to validate
    byte[] body = "{\"limit\":10,\"wait_seconds\":20}".getBytes(StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("POST /v1/adapters/"
                      + gone
                      + "/claims HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    } // the adapter process dies: its connection closes while the claim waits
    Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    String runId = Api.createRunId(workflowId, Map.of());
    Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .statusCode(200)
        .body("adapter_id", nullValue())
        .body("lifecycle_status", equalTo("CREATED"));
    String heir = unique("adapter");
    Api.registerAdapter(heir, engine, "", List.of("CANCEL"), 60, null);
    assertThat(Api.claim(heir, 10, 0)).containsKey(runId);
  }
}
