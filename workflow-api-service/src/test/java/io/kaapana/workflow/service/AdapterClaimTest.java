package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AdapterClaimTest {
  private static final List<String> CAPS = List.of("CANCEL", "RETRY_RUN", "LOGS");

  @Test
  void registrationIsValidatedAndListed() {
    String id = unique("adapter");
    Api.registerAdapter(
        id, "local", "kaapana.experiment in (a,b)", CAPS, 30, "http://127.0.0.1:9999");
    json().get("/v1/adapters").then().statusCode(200).body("id", hasItem(id));
    json()
        .body(
            Map.of(
                "workflow_engine",
                "Local Engine",
                "label_selector",
                "a in (",
                "endpoint_url",
                "ftp://x",
                "lease_seconds",
                1))
        .put("/v1/adapters/" + unique("adapter"))
        .then()
        .statusCode(422)
        .body(
            "errors.pointer",
            equalTo(
                List.of("/workflow_engine", "/label_selector", "/endpoint_url", "/lease_seconds")));
    json()
        .body(Map.of("workflow_engine", "local", "endpoint_url", "http://169.254.169.254/latest"))
        .put("/v1/adapters/" + unique("adapter"))
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/endpoint_url"))
        .body(
            "errors[0].message",
            equalTo(
                "endpoint_url must be on a host the service may call"
                    + " (kaapana.adapters.endpoint-allow: loopback,cluster)"));
    json()
        .body(Map.of("workflow_engine", "local", "capabilities", List.of("TELEPORT")))
        .put("/v1/adapters/" + unique("adapter"))
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/capabilities/0"));
  }

  @Test
  void anUnregisteredAdapterCannotClaim() {
    json()
        .body(Map.of("limit", 1))
        .post("/v1/adapters/" + unique("nobody") + "/claims")
        .then()
        .statusCode(404);
  }

  @Test
  void claimsFollowTheAdapterSelectorAndHandOutRevisionsToValidate() {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String mine = Api.createRunId(workflowId, Map.of("site", "a"));
    String other = Api.createRunId(workflowId, Map.of("site", "b"));
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "site=a", CAPS, 30, null);
    List<Map<String, Object>> revisions =
        json()
            .body(Map.of("limit", 10))
            .post("/v1/adapters/" + adapter + "/claims")
            .then()
            .statusCode(200)
            .body("runs.id", equalTo(List.of(mine)))
            .body("runs[0].adapter_id", equalTo(adapter))
            .extract()
            .path("revisions");
    // the revision's labels (team=imaging) do not match site=a, so it is not this adapter's to
    // validate
    assertThat(revisions).isEmpty();
    json().get("/v1/workflow-runs/" + other).then().body("adapter_id", nullValue());
    json().get("/v1/workflow-runs/" + mine).then().body("status_message", nullValue());

    String validator = unique("adapter");
    Api.registerAdapter(validator, engine, "team=imaging", CAPS, 30, null);
    json()
        .body(Map.of("limit", 10))
        .post("/v1/adapters/" + validator + "/claims")
        .then()
        .body("revisions.workflow_id", equalTo(List.of(workflowId)));
    // a revision being validated is not handed out twice while its claim lasts
    json()
        .body(Map.of("limit", 10))
        .post("/v1/adapters/" + validator + "/claims")
        .then()
        .body("revisions", hasSize(0));
  }

  @Test
  void twoAdaptersClaimingConcurrentlyGetDisjointRuns() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      created.add(Api.createRunId(workflowId, Map.of()));
    }
    String first = unique("adapter");
    String second = unique("adapter");
    Api.registerAdapter(first, engine, "", CAPS, 30, null);
    Api.registerAdapter(second, engine, "", CAPS, 30, null);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Set<String>>> claims = new ArrayList<>();
    for (String adapter : List.of(first, second, first, second)) {
      claims.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return Api.claim(adapter, 10, 0).keySet();
              }));
    }
    go.countDown();
    List<String> all = new ArrayList<>();
    for (var claim : claims) {
      all.addAll(claim.get());
    }
    assertThat(all).doesNotHaveDuplicates();
    assertThat(created).containsAll(all);
    assertThat(all).hasSize(30);
    json()
        .queryParam("adapter_id", first)
        .queryParam("workflow_id", workflowId)
        .queryParam("include_total", "true")
        .queryParam("limit", "1")
        .get("/v1/workflow-runs")
        .then()
        .statusCode(200);
  }

  @Test
  void aLostAdapterLeasesPassToAnotherAdapterAndItsOldTokenIsRefused() {
    String engine = unique("eng");
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    String dying = unique("adapter");
    Api.registerAdapter(dying, engine, "", CAPS, 2, null);
    String oldToken = Api.claim(dying, 10, 0).get(runId);
    Api.report(runId, oldToken, "RUNNING", 1, Map.of()).then().statusCode(200);

    String heir = unique("adapter");
    Api.registerAdapter(heir, engine, "", CAPS, 30, null);
    // no heartbeat from the first adapter: after its lease it is LOST and the run is claimable
    Map<String, String> taken = Api.claim(heir, 10, 10);
    assertThat(taken).containsKey(runId);
    assertThat(taken.get(runId)).isNotEqualTo(oldToken);
    json()
        .get("/v1/adapters")
        .then()
        .body("find { it.id == '" + dying + "' }.status", equalTo("LOST"));
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .body("adapter_id", equalTo(heir))
        .body("lifecycle_status", equalTo("RUNNING"));
    Api.report(runId, oldToken, "COMPLETED", 1, Map.of())
        .then()
        .statusCode(409)
        .body("code", equalTo("lease-lost"));
    Api.report(runId, taken.get(runId), "COMPLETED", 1, Map.of()).then().statusCode(200);
    json()
        .queryParam("type", "adapter.lost")
        .get("/v1/events")
        .then()
        .body("items.object_id", hasItem(dying));
  }

  @Test
  void aLongPollOfAnAdapterThatDiedDoesNotKeepItAlive() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String runId = Api.createRunId(workflowId, Map.of());
    String dying = unique("adapter");
    Api.registerAdapter(dying, engine, "", CAPS, 2, null);
    String token = Api.claim(dying, 10, 0).get(runId);
    // Validated, so that no revision to validate ends the poll below early.
    json()
        .body(Map.of("status", "VALID", "adapter_id", dying))
        .put("/v1/workflows/" + workflowId + "/revisions/1/validation")
        .then()
        .statusCode(200);
    Api.report(runId, token, "RUNNING", 1, Map.of()).then().statusCode(200);
    // Its last request is a long poll; then it dies. The service waits on without a caller.
    CompletableFuture<Map<String, String>> abandoned =
        CompletableFuture.supplyAsync(() -> Api.claim(dying, 10, 20));
    String heir = unique("adapter");
    Api.registerAdapter(heir, engine, "", CAPS, 30, null);
    long start = System.currentTimeMillis();
    Map<String, String> taken = Api.claim(heir, 10, 15);
    // Taken over after the 2 s lease, well before the abandoned 20 s poll would have ended; that
    // poll itself ends empty once its adapter is LOST.
    assertThat(taken).containsKey(runId);
    assertThat(System.currentTimeMillis() - start).isLessThan(15_000);
    assertThat(abandoned.get()).isEmpty();
  }

  @Test
  void heartbeatsKeepTheLease() {
    String engine = unique("eng");
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "", CAPS, 2, null);
    String token = Api.claim(adapter, 10, 0).get(runId);
    long until = System.currentTimeMillis() + 4000;
    while (System.currentTimeMillis() < until) {
      Api.registerAdapter(adapter, engine, "", CAPS, 2, null);
      sleep(500);
    }
    Api.report(runId, token, "RUNNING", 1, Map.of()).then().statusCode(200);
  }

  @Test
  void aCleanShutdownReleasesRunsAtOnce() {
    String engine = unique("eng");
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    String leaving = unique("adapter");
    Api.registerAdapter(leaving, engine, "", CAPS, 60, null);
    Api.claim(leaving, 10, 0);
    json().delete("/v1/adapters/" + leaving).then().statusCode(204);
    json().delete("/v1/adapters/" + leaving).then().statusCode(404);
    json().get("/v1/workflow-runs/" + runId).then().body("adapter_id", nullValue());
    String next = unique("adapter");
    Api.registerAdapter(next, engine, "", CAPS, 60, null);
    assertThat(Api.claim(next, 10, 0)).containsKey(runId);
  }

  @Test
  void aWaitingClaimWakesUpWhenARunIsCreated() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "", CAPS, 60, null);
    assertThat(Api.claim(adapter, 10, 0)).isEmpty();
    CompletableFuture<Map<String, String>> waiting =
        CompletableFuture.supplyAsync(() -> Api.claim(adapter, 10, 30));
    sleep(500);
    String runId = Api.createRunId(workflowId, Map.of());
    Map<String, String> claimed = waiting.get();
    assertThat(claimed).containsKey(runId);
  }

  @Test
  void anEmptyLongPollReturnsEmptyListsAfterTheWait() {
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, unique("eng"), "", CAPS, 60, null);
    long start = System.currentTimeMillis();
    json()
        .body(Map.of("limit", 5, "wait_seconds", 1))
        .post("/v1/adapters/" + adapter + "/claims")
        .then()
        .statusCode(200)
        .body("runs", hasSize(0))
        .body("revisions", hasSize(0));
    assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(900);
    json()
        .body(Map.of("limit", 0, "wait_seconds", 61))
        .post("/v1/adapters/" + adapter + "/claims")
        .then()
        .statusCode(422);
  }

  @Test
  void aClaimMayWaitLongerThanABodyMayTakeToArrive() {
    // Tests give a body 5 s (kaapana.http.body-timeout); the claim's body is whole at once, so
    // its wait is not the body's: it used to be cut off with 408 request-timeout after 5 s.
    String adapter = unique("patient");
    Api.registerAdapter(adapter, unique("eng"), "", CAPS, 60, null);
    long start = System.currentTimeMillis();
    json()
        .body(Map.of("limit", 5, "wait_seconds", 7))
        .post("/v1/adapters/" + adapter + "/claims")
        .then()
        .statusCode(200)
        .body("runs", hasSize(0));
    assertThat(System.currentTimeMillis() - start).isGreaterThanOrEqualTo(6900);
  }

  private static void sleep(long millis) {
    Awaitility.await().pollDelay(Duration.ofMillis(millis)).until(() -> true);
  }
}
