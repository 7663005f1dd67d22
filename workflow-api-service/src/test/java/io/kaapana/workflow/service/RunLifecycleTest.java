package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every allowed and every refused transition of lifecycle.md, through the REST API. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class RunLifecycleTest {

  /** A run held by a fresh adapter, reported into {@code state}. */
  record HeldRun(String id, String token, String adapterId, String engine) {}

  static HeldRun heldRunIn(String state, List<String> capabilities) {
    String engine = unique("eng");
    String adapterId = unique("adapter");
    Api.registerAdapter(adapterId, engine, "", capabilities, 60, null);
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    Map<String, String> claimed = Api.claim(adapterId, 10, 0);
    assertThat(claimed).containsKey(runId);
    String token = claimed.get(runId);
    if (!state.equals("CREATED")) {
      Api.report(runId, token, state, 1, Map.of())
          .then()
          .statusCode(200)
          .body("lifecycle_status", equalTo(state));
    }
    return new HeldRun(runId, token, adapterId, engine);
  }

  static HeldRun heldRunIn(String state) {
    return heldRunIn(state, List.of("CANCEL", "RETRY_RUN", "LOGS"));
  }

  @Test
  void cancelOfAnUnheldCreatedRunSettlesAtOnce() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    Api.event(runId, Map.of("type", "CANCEL"))
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("CANCELED"))
        .body("requested_action", nullValue());
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .body("finished_at", org.hamcrest.Matchers.notNullValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATED", "PENDING", "SCHEDULED", "RUNNING"})
  void cancelOfAHeldActiveRunIsRequestedFromTheAdapter(String state) {
    HeldRun run = heldRunIn(state);
    Api.event(run.id(), Map.of("type", "CANCEL", "force", true))
        .then()
        .statusCode(202)
        .body("lifecycle_status", equalTo(state))
        .body("requested_action", equalTo("CANCEL"));
    // repeating is a no-op with the same answer
    String etag = json().get("/v1/workflow-runs/" + run.id()).header("ETag");
    Api.event(run.id(), Map.of("type", "CANCEL"))
        .then()
        .statusCode(202)
        .header("ETag", equalTo(etag));
    // the holder sees the request with its options on its next claim
    List<Map<String, Object>> claimed = Api.claimedRuns(run.adapterId());
    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0))
        .containsEntry("lease_token", run.token())
        .as("tracing is off: the run was created outside any trace")
        .containsEntry("traceparent", null);
    assertThat((Map<String, Object>) claimed.get(0).get("action_request"))
        .containsEntry("type", "CANCEL")
        .containsEntry("force", true);
    Api.report(run.id(), run.token(), "CANCELED", 1, Map.of("action_done", "CANCEL"))
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("CANCELED"))
        .body("requested_action", nullValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"COMPLETED", "ERROR", "CANCELED"})
  void cancelOfASettledRunIs409WithAllowedActions(String state) {
    HeldRun run = heldRunIn(state);
    Api.event(run.id(), Map.of("type", "CANCEL"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("invalid-transition"))
        .body("current_state", equalTo(state))
        .body("allowed_actions", equalTo(state.equals("COMPLETED") ? List.of() : List.of("RETRY")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREATED", "PENDING", "SCHEDULED", "RUNNING", "COMPLETED"})
  void retryIsRefusedOnActiveAndCompletedRuns(String state) {
    HeldRun run = heldRunIn(state);
    Api.event(run.id(), Map.of("type", "RETRY"))
        .then()
        .statusCode(409)
        .body("code", equalTo("invalid-transition"));
  }

  @ParameterizedTest
  @CsvSource({"ERROR,FAILED", "CANCELED,ALL"})
  void retryOfAFailedRunRunsANewAttempt(String state, String scope) {
    HeldRun run = heldRunIn(state);
    Api.event(run.id(), Map.of("type", "RETRY", "scope", scope))
        .then()
        .statusCode(202)
        .body("requested_action", equalTo("RETRY"))
        .body("lifecycle_status", equalTo(state));
    Api.event(run.id(), Map.of("type", "RETRY")).then().statusCode(202);
    List<Map<String, Object>> claimed = Api.claimedRuns(run.adapterId());
    assertThat((Map<String, Object>) claimed.get(0).get("action_request"))
        .containsEntry("scope", scope);
    Api.report(run.id(), run.token(), "RUNNING", 2, Map.of())
        .then()
        .statusCode(200)
        .body("attempt", equalTo(2))
        .body("lifecycle_status", equalTo("RUNNING"))
        .body("requested_action", nullValue())
        .body("finished_at", nullValue());
    Api.report(run.id(), run.token(), "COMPLETED", 2, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("COMPLETED"));
  }

  @Test
  void cancelReplacesAPendingRetry() {
    HeldRun run = heldRunIn("ERROR");
    Api.event(run.id(), Map.of("type", "RETRY")).then().statusCode(202);
    Api.event(run.id(), Map.of("type", "CANCEL"))
        .then()
        .statusCode(202)
        .body("requested_action", equalTo("CANCEL"));
  }

  @Test
  void reportsNeverMoveARunBackwardsWithinAnAttempt() {
    HeldRun run = heldRunIn("RUNNING");
    Api.report(run.id(), run.token(), "PENDING", 1, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("RUNNING"));
    Api.report(run.id(), run.token(), "ERROR", 1, Map.of("status_message", "task b failed"))
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("ERROR"))
        .body("status_message", equalTo("task b failed"));
    Api.report(run.id(), run.token(), "COMPLETED", 1, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("ERROR"));
    Api.report(run.id(), run.token(), "RUNNING", 1, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("ERROR"));
  }

  @Test
  void completedNeverChangesAgain() {
    HeldRun run = heldRunIn("COMPLETED");
    Api.report(run.id(), run.token(), "RUNNING", 2, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("COMPLETED"))
        .body("attempt", equalTo(1));
  }

  @Test
  void forwardMovesMaySkipSteps() {
    HeldRun run = heldRunIn("CREATED");
    Api.report(run.id(), run.token(), "COMPLETED", 1, Map.of())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("COMPLETED"));
  }

  @Test
  void anUnchangedReportWritesNothing() {
    HeldRun run = heldRunIn("RUNNING");
    Map<String, Object> tasks =
        Map.of(
            "task_runs",
            List.of(Map.of("task_title", "a", "lifecycle_status", "RUNNING", "attempt", 1)));
    Api.report(run.id(), run.token(), "RUNNING", 1, tasks).then().statusCode(200);
    String etag = json().get("/v1/workflow-runs/" + run.id()).header("ETag");
    int events = json().get("/v1/workflow-runs/" + run.id() + "/events").path("items.size()");
    Api.report(run.id(), run.token(), "RUNNING", 1, tasks)
        .then()
        .statusCode(200)
        .header("ETag", equalTo(etag));
    json().get("/v1/workflow-runs/" + run.id() + "/events").then().body("items", hasSize(events));
  }

  @Test
  void aReportWithAStaleLeaseIs409AndChangesNothing() {
    HeldRun run = heldRunIn("RUNNING");
    Api.report(run.id(), "00000000-0000-0000-0000-000000000000", "COMPLETED", 1, Map.of())
        .then()
        .statusCode(409)
        .body("code", equalTo("lease-lost"));
    json().get("/v1/workflow-runs/" + run.id()).then().body("lifecycle_status", equalTo("RUNNING"));
  }

  @Test
  void taskRunsFollowTheirOwnStateMachineAndCountsFollowThem() {
    HeldRun run = heldRunIn("RUNNING");
    Api.report(
            run.id(),
            run.token(),
            "RUNNING",
            1,
            Map.of(
                "task_runs",
                List.of(
                    Map.of(
                        "task_title",
                        "a",
                        "lifecycle_status",
                        "COMPLETED",
                        "attempt",
                        1,
                        "external_id",
                        "a"),
                    Map.of(
                        "task_title",
                        "b",
                        "lifecycle_status",
                        "ERROR",
                        "attempt",
                        1,
                        "status_message",
                        "exit 1"),
                    Map.of(
                        "task_title", "c", "lifecycle_status", "UPSTREAM_FAILED", "attempt", 1))))
        .then()
        .statusCode(200)
        .body("task_run_counts", equalTo(Map.of("COMPLETED", 1, "ERROR", 1, "UPSTREAM_FAILED", 1)));
    // a backwards task report is ignored; a new attempt is taken
    Api.report(
            run.id(),
            run.token(),
            "RUNNING",
            1,
            Map.of(
                "task_runs",
                List.of(
                    Map.of("task_title", "a", "lifecycle_status", "RUNNING", "attempt", 1),
                    Map.of("task_title", "b", "lifecycle_status", "RUNNING", "attempt", 2))))
        .then()
        .statusCode(200)
        .body(
            "task_run_counts", equalTo(Map.of("COMPLETED", 1, "RUNNING", 1, "UPSTREAM_FAILED", 1)));
    json()
        .queryParam("task_title", "b")
        .get("/v1/workflow-runs/" + run.id() + "/task-runs")
        .then()
        .body("items[0].attempt", equalTo(2))
        .body("items[0].lifecycle_status", equalTo("RUNNING"));
    json()
        .queryParam("lifecycle_status", "COMPLETED,UPSTREAM_FAILED")
        .get("/v1/workflow-runs/" + run.id() + "/task-runs")
        .then()
        .body("items.task_title", equalTo(List.of("a", "c")));
    json()
        .get("/v1/workflow-runs/" + run.id() + "/events")
        .then()
        .body("items.findAll { it.type == 'task_run.status_changed' }.size()", equalTo(4));
  }

  @Test
  void taskRetryNeedsAnEngineThatSupportsIt() {
    HeldRun plain = heldRunIn("RUNNING", List.of("CANCEL"));
    Api.report(
            plain.id(),
            plain.token(),
            "ERROR",
            1,
            Map.of(
                "task_runs",
                List.of(Map.of("task_title", "a", "lifecycle_status", "ERROR", "attempt", 1))))
        .then()
        .statusCode(200);
    String taskId =
        json().get("/v1/workflow-runs/" + plain.id() + "/task-runs").path("items[0].id");
    json()
        .body(Map.of("type", "RETRY"))
        .post("/v1/workflow-runs/" + plain.id() + "/task-runs/" + taskId + "/events")
        .then()
        .statusCode(409)
        .body("code", equalTo("not-supported-by-engine"));

    HeldRun capable = heldRunIn("RUNNING", List.of("CANCEL", "RETRY_TASK"));
    Api.report(
            capable.id(),
            capable.token(),
            "RUNNING",
            1,
            Map.of(
                "task_runs",
                List.of(
                    Map.of("task_title", "a", "lifecycle_status", "ERROR", "attempt", 1),
                    Map.of("task_title", "b", "lifecycle_status", "COMPLETED", "attempt", 1))))
        .then()
        .statusCode(200);
    List<Map<String, Object>> tasks =
        json().get("/v1/workflow-runs/" + capable.id() + "/task-runs").path("items");
    String failed =
        (String)
            tasks.stream()
                .filter(t -> t.get("task_title").equals("a"))
                .findFirst()
                .orElseThrow()
                .get("id");
    String succeeded =
        (String)
            tasks.stream()
                .filter(t -> t.get("task_title").equals("b"))
                .findFirst()
                .orElseThrow()
                .get("id");
    json()
        .body(Map.of("type", "RETRY", "reason", "flaky"))
        .post("/v1/workflow-runs/" + capable.id() + "/task-runs/" + failed + "/events")
        .then()
        .statusCode(202)
        .body("requested_action", equalTo("RETRY"));
    json()
        .body(Map.of("type", "RETRY"))
        .post("/v1/workflow-runs/" + capable.id() + "/task-runs/" + succeeded + "/events")
        .then()
        .statusCode(409)
        .body("code", equalTo("invalid-transition"));
    json()
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + capable.id() + "/task-runs/" + failed + "/events")
        .then()
        .statusCode(422);
    List<Map<String, Object>> claimed = Api.claimedRuns(capable.adapterId());
    assertThat((Map<String, Object>) claimed.get(0).get("action_request"))
        .containsEntry("task_title", "a");
  }

  @Test
  void ifMatchOnEventsIs412OnMismatch() {
    HeldRun run = heldRunIn("RUNNING");
    json()
        .header("If-Match", "\"1\"")
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + run.id() + "/events")
        .then()
        .statusCode(412);
    String etag = json().get("/v1/workflow-runs/" + run.id()).header("ETag");
    json()
        .header("If-Match", etag)
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + run.id() + "/events")
        .then()
        .statusCode(202);
  }

  @Test
  void eventIdempotencyKeyReplaysTheFirstAnswer() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    String key = unique("k");
    json()
        .header("Idempotency-Key", key)
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + runId + "/events")
        .then()
        .statusCode(200);
    json()
        .header("Idempotency-Key", key)
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + runId + "/events")
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("CANCELED"));
    json()
        .header("Idempotency-Key", key)
        .body(Map.of("type", "RETRY"))
        .post("/v1/workflow-runs/" + runId + "/events")
        .then()
        .statusCode(409)
        .body("code", equalTo("idempotency-key-reused"));
  }

  @Test
  void bulkCancelAppliesToEveryMatchingRunAndReportsRefusals() {
    String engine = unique("eng");
    String experiment = unique("exp");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String a = Api.createRunId(workflowId, Map.of("kaapana.experiment", experiment));
    String b = Api.createRunId(workflowId, Map.of("kaapana.experiment", experiment));
    Api.event(b, Map.of("type", "CANCEL")).then().statusCode(200);
    Api.createRunId(workflowId, Map.of("kaapana.experiment", unique("other")));
    json()
        .body(
            Map.of(
                "label_selector",
                "kaapana.experiment=" + experiment,
                "type",
                "CANCEL",
                "dry_run",
                true))
        .post("/v1/bulk/workflow-run-events")
        .then()
        .statusCode(200)
        .body("matched", equalTo(2))
        .body("applied", equalTo(1))
        .body("refused[0].id", equalTo(b))
        .body("refused[0].code", equalTo("invalid-transition"))
        .body("dry_run", equalTo(true));
    json().get("/v1/workflow-runs/" + a).then().body("lifecycle_status", equalTo("CREATED"));
    json()
        .body(
            Map.of(
                "label_selector",
                "kaapana.experiment=" + experiment,
                "lifecycle_status",
                "CREATED",
                "type",
                "CANCEL"))
        .post("/v1/bulk/workflow-run-events")
        .then()
        .statusCode(200)
        .body("matched", equalTo(1))
        .body("applied", equalTo(1));
    json().get("/v1/workflow-runs/" + a).then().body("lifecycle_status", equalTo("CANCELED"));
    json()
        .body(Map.of("label_selector", "", "type", "CANCEL"))
        .post("/v1/bulk/workflow-run-events")
        .then()
        .statusCode(422);
    json()
        .body(Map.of("label_selector", "a in (", "type", "CANCEL"))
        .post("/v1/bulk/workflow-run-events")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/label_selector"))
        .body("position", equalTo(6));
  }

  @Test
  void aStatusReportsProblemsAreNamedInTheWiresWordsWhereTheyAre() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    Map<String, Object> tooLong = new java.util.HashMap<>();
    tooLong.put("task_title", "t".repeat(513));
    tooLong.put("lifecycle_status", "RUNNING");
    tooLong.put("attempt", 0);
    json()
        .body(
            Map.of(
                "lifecycle_status",
                "RUNNING",
                "attempt",
                1,
                "task_runs",
                List.of(Map.of("attempt", 1), tooLong)))
        .post("/v1/workflow-runs/" + runId + "/status")
        .then()
        .statusCode(422)
        .body(
            "errors.pointer",
            equalTo(
                List.of(
                    "/lease_token",
                    "/task_runs/0/task_title",
                    "/task_runs/0/lifecycle_status",
                    "/task_runs/1/task_title",
                    "/task_runs/1/attempt")))
        .body(
            "errors.message",
            equalTo(
                List.of(
                    "lease_token is required",
                    "task_title is required",
                    "lifecycle_status is required",
                    "task_title must be at most 512 characters",
                    "attempt must be 1 or more")));
  }

  @Test
  void aRunsEventsCarryTheirCataloguedData() {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    String runId = Api.createRunId(workflowId, Map.of());
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "", List.of("CANCEL"), 60, null);
    String token = Api.claim(adapter, 10, 0).get(runId);
    Api.report(
            runId,
            token,
            "RUNNING",
            1,
            Map.of(
                "task_runs", List.of(Map.of("task_title", "fetch", "lifecycle_status", "RUNNING"))))
        .then()
        .statusCode(200);
    Api.event(runId, Map.of("type", "CANCEL", "reason", "enough")).then().statusCode(202);
    String data = "items.find { it.type == '%s' }.data";
    json()
        .queryParam("workflow_run_id", runId)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body(
            data.formatted("workflow_run.created"),
            equalTo(Map.of("workflow_id", workflowId, "increment", 1)))
        .body(data.formatted("workflow_run.claimed"), equalTo(Map.of("adapter_id", adapter)))
        .body(data.formatted("workflow_run.status_changed"), equalTo(Map.of("attempt", 1)))
        .body(
            data.formatted("task_run.status_changed"),
            equalTo(Map.of("task_title", "fetch", "attempt", 1)))
        .body(
            data.formatted("workflow_run.action_requested"),
            equalTo(Map.of("action", "CANCEL", "reason", "enough")));
  }
}
