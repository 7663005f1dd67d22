package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What an operator reads in the log when adapters come and go, leases are lost, data purged. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class OperationsLogTest {
  private static final Path TEST_LOG = Path.of("target", "quarkus-test.log");
  private static final List<String> CAPS = List.of("CANCEL");

  private static Optional<String> line(String... parts) throws Exception {
    return Files.readAllLines(TEST_LOG).stream()
        .filter(l -> l.contains("operations] ")) // the category, abbreviated by the format
        .filter(l -> List.of(parts).stream().allMatch(l::contains))
        .findFirst();
  }

  private static String awaitLine(String... parts) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line(parts), Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void anAdapterThatStopsItsHeartbeatsIsLoggedLostWithTheRunsItHeld() {
    String engine = unique("eng");
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    String dying = unique("adapter");
    Api.registerAdapter(dying, engine, "", CAPS, 2, null);
    assertThat(awaitLine("adapter.registered adapter_id=" + dying))
        .contains("INFO")
        .contains("workflow_engine=" + engine)
        .contains("lease_seconds=2");
    String token = Api.claim(dying, 10, 0).get(runId);
    assertThat(token).isNotNull();

    assertThat(awaitLine("adapter.lost adapter_id=" + dying))
        .contains("WARN")
        .contains("lease_seconds=2 runs_released=1");
    assertThat(awaitLine("runs.released adapter_id=" + dying))
        .contains("reason=adapter-lost count=1 run_ids=" + runId);

    Api.report(runId, token, "RUNNING", 1, Map.of()).then().statusCode(409);
    assertThat(awaitLine("request.lease-lost path=/v1/workflow-runs/" + runId))
        .contains("INFO")
        .contains("detail=\"the lease token does not match");

    Api.registerAdapter(dying, engine, "", CAPS, 30, null);
    assertThat(awaitLine("adapter.back adapter_id=" + dying)).contains("INFO");
    json().delete("/v1/adapters/" + dying).then().statusCode(204);
    assertThat(awaitLine("adapter.deregistered adapter_id=" + dying)).contains("runs_released=0");
  }

  private static long count(String... parts) throws Exception {
    return Files.readAllLines(TEST_LOG).stream()
        .filter(l -> l.contains("operations] "))
        .filter(l -> List.of(parts).stream().allMatch(l::contains))
        .count();
  }

  @Test
  void aPurgeIsLoggedWithItsActorAndCountsButADryRunIsNot() throws Exception {
    // Without an identity provider every caller is the local operator; a forged header is ignored.
    String info = "INFO";
    String nothingPurged =
        "admin.purge actor=local workflows=0 revisions=0 runs=0 task_runs=0 events=0";
    long before = count(info, nothingPurged);
    json()
        .header("X-Forwarded-User", "mallory")
        .body(Map.of("events_before", "2000-01-01T00:00:00Z", "dry_run", true))
        .post("/v1/admin/purge")
        .then()
        .statusCode(200);
    json()
        .header("X-Forwarded-User", "mallory")
        .body(Map.of("events_before", "2000-01-01T00:00:00Z"))
        .post("/v1/admin/purge")
        .then()
        .statusCode(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> count(info, nothingPurged) == before + 1);
    assertThat(line("mallory")).isEmpty();
    assertThat(count(info, nothingPurged)).as("the dry run is not logged").isEqualTo(before + 1);
  }
}
