package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class EventStreamTest {
  @TestHTTPResource("/v1/events")
  URI events;

  @Inject AgroalDataSource dataSource;

  private final HttpClient client = HttpClient.newHttpClient();

  /** Reads SSE frames until {@code count} events arrived, then disconnects; returns their ids. */
  private List<Long> readEvents(String query, String lastEventId, int count) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(events + "?" + query))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<Long> ids = new ArrayList<>();
    try (InputStream body = response.body();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while (ids.size() < count && (line = reader.readLine()) != null) {
        if (line.startsWith("id:")) {
          ids.add(Long.parseLong(line.substring(3).strip()));
        }
      }
    }
    return ids;
  }

  private static List<Long> history(String query) {
    List<Long> seqs = new ArrayList<>();
    String token = null;
    do {
      var request = json();
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        request.queryParam(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      if (token != null) {
        request.queryParam("page_token", token);
      }
      var page = request.queryParam("limit", "100").get("/v1/events");
      List<Number> items = page.path("items.seq");
      items.forEach(n -> seqs.add(n.longValue()));
      token = page.path("next_page_token");
    } while (token != null);
    return seqs;
  }

  @Test
  void reconnectingWithLastEventIdResumesWithoutLoss() throws Exception {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    String query = "workflow_run_id=" + runId;
    List<Long> before = readEvents(query, "0", 1);
    // changes while the client is away
    Api.event(runId, Map.of("type", "CANCEL")).then().statusCode(200);
    Api.event(runId, Map.of("type", "RETRY")).then().statusCode(202);
    Api.event(runId, Map.of("type", "CANCEL")).then().statusCode(200);
    List<Long> all = history(query);
    assertThat(all).hasSize(4);
    List<Long> after = readEvents(query, String.valueOf(before.get(0)), all.size() - 1);
    List<Long> seen = new ArrayList<>(before);
    seen.addAll(after);
    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  void aLiveStreamSeesEveryEventOfConcurrentWritersInOrder() throws Exception {
    String experiment = unique("exp");
    String workflowId = Api.createWorkflow(unique("wf"), unique("eng"));
    String query =
        "label_selector="
            + URLEncoder.encode("kaapana.experiment=" + experiment, StandardCharsets.UTF_8);
    int runs = 24;
    // each run writes two events: created, and canceled
    CompletableFuture<List<Long>> streamed =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return readEvents(query, "0", runs * 2);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    ExecutorService writers = Executors.newFixedThreadPool(6);
    try {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        writes.add(
            CompletableFuture.runAsync(
                () -> {
                  String id = Api.createRunId(workflowId, Map.of("kaapana.experiment", experiment));
                  Api.event(id, Map.of("type", "CANCEL")).then().statusCode(200);
                },
                writers));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get();
    } finally {
      writers.shutdown();
    }
    List<Long> live = streamed.get();
    assertThat(live).isSorted().doesNotHaveDuplicates().containsExactlyElementsOf(history(query));
  }

  @Test
  void eventsCommittedByAWriterThatDiedBeforeNumberingThemAreNumberedByTheSweep() throws Exception {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    String query = "workflow_run_id=" + runId;
    List<Long> before = history(query);
    assertThat(before).hasSize(1);
    // the state a writer leaves when it stops between its commit and the numbering
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO pending_events (type, object_type, object_id, workflow_run_id,"
                    + " data, actor, created_at) VALUES (?, 'workflow_run', ?, ?::uuid,"
                    + " '{\"reason\": \"left by a writer\"}'::jsonb, 'service', now())")) {
      insert.setString(1, DomainEvent.RUN_RELEASED);
      insert.setString(2, runId);
      insert.setString(3, runId);
      insert.executeUpdate();
    }
    // the maintenance sweep runs every second in tests
    List<Long> resumed =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return readEvents(query, String.valueOf(before.get(0)), 1);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .get(20, TimeUnit.SECONDS);
    assertThat(resumed).hasSize(1);
    assertThat(resumed.get(0)).isGreaterThan(before.get(0));
    json()
        .get("/v1/workflow-runs/" + runId + "/events")
        .then()
        .statusCode(200)
        .body("items.type", contains(DomainEvent.RUN_CREATED, DomainEvent.RUN_RELEASED))
        .body("items[1].data.reason", equalTo("left by a writer"));
  }

  @Test
  void aBadLastEventIdIs400() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(events)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "abc")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("invalid-query");
  }
}
