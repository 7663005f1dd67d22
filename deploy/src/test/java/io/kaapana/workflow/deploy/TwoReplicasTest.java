package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's default: two packaged service instances on one PostgreSQL. A claim long-polling on
 * one instance is woken by runs created on the other, two adapters claiming through different
 * instances never get the same run, a lease taken on one is honoured on the other, and an event
 * stream on one instance carries every change made through either, in order.
 */
class TwoReplicasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENGINE = "twin";
  private static final int RUNS = 20;

  @TempDir Path temp;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void twoInstancesShareClaimsLeasesAndTheEventStream() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      Map<String, String> database =
          Map.of(
              "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
              "QUARKUS_DATASOURCE_USERNAME", "postgres",
              "QUARKUS_DATASOURCE_PASSWORD", "postgres");
      try (PackagedApp a = start("a", database);
          PackagedApp b = start("b", database)) {
        a.awaitReady();
        b.awaitReady();

        // An event stream on B, read as it arrives.
        ConcurrentLinkedQueue<String> streamed = new ConcurrentLinkedQueue<>();
        CompletableFuture<HttpResponse<Void>> stream =
            http.sendAsync(
                HttpRequest.newBuilder(URI.create(b.url + "/v1/events?object_type=workflow_run"))
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new LineCollector(streamed)));
        awaitLine(streamed, ":stream open");

        String workflow =
            send(
                    "POST",
                    a.url + "/v1/workflows",
                    Map.of(
                        "title", "twin-workflow",
                        "workflow_engine", ENGINE,
                        "definition", "tasks: [{name: a, command: [echo, hi]}]"),
                    201)
                .path("id")
                .asText();
        register(a, "twin-a");
        register(b, "twin-b");

        // B's adapter takes the workflow's revision to validate, then waits for runs, which are
        // created through both instances.
        assertThat(claim(b, "twin-b").path("revisions").size()).isEqualTo(1);
        CompletableFuture<HttpResponse<String>> waiting =
            http.sendAsync(
                post(b.url + "/v1/adapters/twin-b/claims", Map.of("limit", 5, "wait_seconds", 30)),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<Long> answeredAt = waiting.thenApply(r -> System.nanoTime());
        Thread.sleep(500);
        long firstCreated = System.nanoTime();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
          PackagedApp through = i % 2 == 0 ? a : b;
          created.add(
              send(
                      "POST",
                      through.url + "/v1/workflow-runs",
                      Map.of("workflow", Map.of("id", workflow), "parameters", Map.of()),
                      201)
                  .path("id")
                  .asText());
        }
        JsonNode firstClaim = JSON.readTree(waiting.get(30, TimeUnit.SECONDS).body());
        assertThat(firstClaim.path("runs").size())
            .as("B's waiting claim was woken by runs created through A")
            .isPositive();

        // Both adapters claim through their instances until every run is held.
        Map<String, String> holder = new HashMap<>();
        Map<String, String> leases = new HashMap<>();
        collect(firstClaim, "twin-b", holder, leases);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (holder.size() < RUNS && System.nanoTime() < deadline) {
          collect(claim(a, "twin-a"), "twin-a", holder, leases);
          collect(claim(b, "twin-b"), "twin-b", holder, leases);
        }
        assertThat(holder.keySet()).containsExactlyInAnyOrderElementsOf(created);
        assertThat(new HashSet<>(holder.values())).containsExactlyInAnyOrder("twin-a", "twin-b");

        // A lease handed out by B is honoured by A, and B then serves what A wrote.
        String heldByB =
            holder.entrySet().stream()
                .filter(e -> e.getValue().equals("twin-b"))
                .findFirst()
                .orElseThrow()
                .getKey();
        send(
            "POST",
            a.url + "/v1/workflow-runs/" + heldByB + "/status",
            Map.of("lease_token", leases.get(heldByB), "lifecycle_status", "RUNNING", "attempt", 1),
            200);
        assertThat(
                send("GET", b.url + "/v1/workflow-runs/" + heldByB, null, 200)
                    .path("lifecycle_status")
                    .asText())
            .isEqualTo("RUNNING");

        // B's stream carried every run's creation (through either instance) and A's report.
        Set<String> createdSeen = new HashSet<>();
        awaitUntil(
            () -> {
              createdSeen.clear();
              boolean running = false;
              for (String line : streamed) {
                if (line.startsWith("data:")) {
                  JsonNode event = JSON.readTree(line.substring(5).trim());
                  if (event.path("type").asText().equals("workflow_run.created")) {
                    createdSeen.add(event.path("object_id").asText());
                  }
                  running |=
                      event.path("object_id").asText().equals(heldByB)
                          && event.path("to").asText().equals("RUNNING");
                }
              }
              return running && createdSeen.size() == RUNS;
            });
        assertThat(createdSeen).containsExactlyInAnyOrderElementsOf(created);
        List<Long> ids = new ArrayList<>();
        for (String line : streamed) {
          if (line.startsWith("id:")) {
            ids.add(Long.parseLong(line.substring(3).trim()));
          }
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        System.out.printf(
            "two instances: %d runs claimed %s; B's waiting claim answered %.2f s after the first"
                + " run was created through A%n",
            RUNS, countBy(holder), (answeredAt.get() - firstCreated) / 1e9);
        stream.cancel(true);
      }
    }
  }

  private PackagedApp start(String name, Map<String, String> database) throws Exception {
    Path dir = Files.createDirectories(temp.resolve(name));
    return PackagedApp.start(
        PackagedApp.SERVICE, dir, Files.createDirectories(temp.resolve(name + "-home")), database);
  }

  private void register(PackagedApp instance, String adapter) throws Exception {
    send(
        "PUT",
        instance.url + "/v1/adapters/" + adapter,
        Map.of("workflow_engine", ENGINE, "lease_seconds", 60),
        200);
  }

  private JsonNode claim(PackagedApp instance, String adapter) throws Exception {
    HttpResponse<String> r =
        http.send(
            post(instance.url + "/v1/adapters/" + adapter + "/claims", Map.of("limit", 3)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void collect(
      JsonNode claim, String adapter, Map<String, String> holder, Map<String, String> leases) {
    assertThat(claim.path("revisions").size()).as("the revision was handed out once").isZero();
    for (JsonNode run : claim.path("runs")) {
      String id = run.path("id").asText();
      assertThat(holder.put(id, adapter)).as("run %s claimed twice", id).isNull();
      leases.put(id, run.path("lease_token").asText());
    }
  }

  private static Map<String, Long> countBy(Map<String, String> holder) {
    Map<String, Long> counts = new HashMap<>();
    holder.values().forEach(v -> counts.merge(v, 1L, Long::sum));
    return counts;
  }

  private HttpRequest post(String url, Object body) throws Exception {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .build();
  }

  private JsonNode send(String method, String url, Object body, int expected) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s: %s", method, url, r.body()).isEqualTo(expected);
    return JSON.readTree(r.body());
  }

  private static void awaitLine(ConcurrentLinkedQueue<String> lines, String line) throws Exception {
    awaitUntil(() -> lines.contains(line));
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitUntil(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s");
      }
      Thread.sleep(100);
    }
  }

  /** Keeps every line of the stream. */
  private static final class LineCollector implements java.util.concurrent.Flow.Subscriber<String> {
    private final ConcurrentLinkedQueue<String> lines;

    LineCollector(ConcurrentLinkedQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String item) {
      lines.add(item);
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
