package io.kaapana.workflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own behaviour — re-sends, problem mapping, paging, stream resumption — against a
 * loopback HTTP server that answers as the service does in each situation (a dropped connection, a
 * 503, a page token). The client against the real service is exercised by the end-to-end tests.
 */
class WorkflowApiClientTest {
  private static final String RUN =
      "{\"id\":\"01a2194f-d4e4-711e-b000-000000000001\",\"lifecycle_status\":\"CREATED\","
          + "\"attempt\":1,\"future_field\":{\"a\":1}}";

  private HttpServer server;
  private WorkflowApiClient client;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.start();
    client =
        WorkflowApiClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .initialBackoff(Duration.ofMillis(10))
            .requestTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String problem(int status, String code, String extra) {
    return "{\"type\":\"urn:kaapana:workflow-api:problem:"
        + code
        + "\",\"title\":\"t\",\"status\":"
        + status
        + ",\"code\":\""
        + code
        + "\",\"detail\":\"d\""
        + extra
        + "}";
  }

  @Test
  void aRunCreationIsResentWithTheSameIdempotencyKeyAfterA503() {
    AtomicInteger calls = new AtomicInteger();
    server.createContext(
        "/v1/workflow-runs",
        exchange -> {
          seen.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
          if (calls.incrementAndGet() == 1) {
            send(
                exchange, 503, "application/problem+json", problem(503, "service-unavailable", ""));
          } else {
            send(exchange, 201, "application/json", RUN);
          }
        });
    WorkflowRun run = client.runs().create(CreateWorkflowRun.of("hello", Map.of()));
    assertThat(run.lifecycleStatus()).isEqualTo(RunState.CREATED);
    assertThat(seen).hasSize(2).doesNotContainNull();
    assertThat(seen.get(1)).as("the re-send carries the first key").isEqualTo(seen.get(0));
  }

  @Test
  void eachRequestCarriesTheTraceContextOfTheCallingThreadAndNothingElseOfIt() {
    server.createContext(
        "/v1/workflow-runs/01a2194f-d4e4-711e-b000-000000000001",
        exchange -> {
          seen.add(
              exchange.getRequestHeaders().getFirst("traceparent")
                  + " | "
                  + exchange.getRequestHeaders().getFirst("tracestate")
                  + " | "
                  + exchange.getRequestHeaders().getFirst("X-Smuggled"));
          send(exchange, 200, "application/json", RUN);
        });
    ThreadLocal<String> span = new ThreadLocal<>();
    WorkflowApiClient traced =
        WorkflowApiClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .traceContext(
                () ->
                    span.get() == null
                        ? Map.of()
                        : Map.of(
                            "traceparent", span.get(), "tracestate", "k=v", "X-Smuggled", "yes"))
            .build();
    UUID id = UUID.fromString("01a2194f-d4e4-711e-b000-000000000001");

    traced.runs().get(id);
    span.set("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    traced.runs().get(id);

    assertThat(seen)
        .containsExactly(
            "null | null | null",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 | k=v | null");
  }

  @Test
  void aBulkEventIsNotResent() {
    AtomicInteger calls = new AtomicInteger();
    server.createContext(
        "/v1/bulk/workflow-run-events",
        exchange -> {
          calls.incrementAndGet();
          send(exchange, 503, "application/problem+json", problem(503, "service-unavailable", ""));
        });
    assertThatThrownBy(
            () ->
                client
                    .runs()
                    .bulk(
                        new io.kaapana.workflow.client.model.BulkWorkflowRunEvent(
                            "a=b",
                            null,
                            io.kaapana.workflow.client.model.RequestedAction.CANCEL,
                            null,
                            null,
                            null,
                            null)))
        .isInstanceOf(ProblemException.ServiceUnavailableException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void problemsBecomeTypedExceptions() {
    server.createContext(
        "/v1/workflow-runs/",
        exchange ->
            send(
                exchange,
                409,
                "application/problem+json",
                problem(409, "invalid-transition", ",\"allowed_actions\":[\"CANCEL\"]")));
    assertThatThrownBy(
            () ->
                client
                    .runs()
                    .retry(
                        java.util.UUID.randomUUID(),
                        io.kaapana.workflow.client.model.RetryScope.FAILED,
                        null))
        .isInstanceOfSatisfying(
            ProblemException.InvalidTransitionException.class,
            e -> {
              assertThat(e.allowedActions()).containsExactly("CANCEL");
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("invalid-transition");
            });
  }

  @Test
  void anAnswerThatIsNoProblemDocumentStillBecomesAProblem() {
    server.createContext(
        "/v1/workflows/", exchange -> send(exchange, 404, "text/html", "<h1>nope</h1>"));
    assertThatThrownBy(() -> client.workflows().get(java.util.UUID.randomUUID()))
        .isInstanceOfSatisfying(
            ProblemException.NotFoundException.class,
            e -> assertThat(e.problem().detail()).contains("<h1>nope</h1>"));
  }

  @Test
  void listAllFollowsPageTokens() {
    server.createContext(
        "/v1/workflow-runs",
        exchange -> {
          String query = exchange.getRequestURI().getRawQuery();
          seen.add(query);
          if (query.contains("page_token=p2")) {
            send(
                exchange,
                200,
                "application/json",
                "{\"items\":[" + RUN + "],\"next_page_token\":null}");
          } else {
            send(
                exchange,
                200,
                "application/json",
                "{\"items\":[" + RUN + "," + RUN + "],\"next_page_token\":\"p2\"}");
          }
        });
    assertThat(client.runs().listAll(Query.runs().labelSelector("kaapana.experiment=x").limit(2)))
        .hasSize(3);
    assertThat(seen)
        .containsExactly(
            "label_selector=kaapana.experiment%3Dx&limit=2",
            "label_selector=kaapana.experiment%3Dx&limit=2&page_token=p2");
  }

  @Test
  void anEventSubscriptionResumesAfterTheLastEventItDelivered() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    server.createContext(
        "/v1/events",
        exchange -> {
          seen.add(
              connections.incrementAndGet()
                  + ":"
                  + exchange.getRequestHeaders().getFirst("Last-Event-ID"));
          exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            long first = connections.get() == 1 ? 6 : 8;
            StringBuilder frames = new StringBuilder("retry: 50\n\n: keep-alive\n\n");
            for (long seq = first; seq < first + 2; seq++) {
              frames
                  .append("id: ")
                  .append(seq)
                  .append("\nevent: workflow_run.created\ndata: {\"seq\":")
                  .append(seq)
                  .append(",\"type\":\"workflow_run.created\"}\n\n");
            }
            out.write(frames.toString().getBytes(StandardCharsets.UTF_8));
          } // the connection drops after two events
        });
    List<Long> delivered = new CopyOnWriteArrayList<>();
    try (Subscription subscription =
        client
            .events()
            .subscribe(Query.events().objectType("workflow_run"), 5, e -> delivered.add(e.seq()))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (delivered.size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(subscription.lastId()).isEqualTo("9");
    }
    assertThat(delivered.subList(0, 4)).containsExactly(6L, 7L, 8L, 9L);
    assertThat(seen.subList(0, 2)).containsExactly("1:5", "2:7");
  }

  @Test
  void unknownFieldsAndEnumValuesFromANewerServiceAreTolerated() {
    server.createContext(
        "/v1/events",
        exchange ->
            send(
                exchange,
                200,
                "application/json",
                "{\"items\":[{\"seq\":1,\"type\":\"x.new\",\"brand_new\":true}],\"next_page_token\":null}"));
    List<Event> events = client.events().list(Query.events()).items();
    assertThat(events).extracting(Event::type).containsExactly("x.new");
  }
}
