package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AdminTest {
  private static final String TOMORROW = Instant.now().plus(1, ChronoUnit.DAYS).toString();

  @Test
  void purgeNeverDeletesAnActiveRunAndDryRunDeletesNothing() {
    RunLifecycleTest.HeldRun active = RunLifecycleTest.heldRunIn("RUNNING");
    String settled = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    Api.event(settled, Map.of("type", "CANCEL")).then().statusCode(200);

    json()
        .body(
            Map.of(
                "runs",
                Map.of("lifecycle_status", List.of("RUNNING"), "finished_before", TOMORROW)))
        .post("/v1/admin/purge")
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/runs/lifecycle_status"));
    json()
        .body(Map.of("runs", Map.of("lifecycle_status", List.of("CANCELED"))))
        .post("/v1/admin/purge")
        .then()
        .statusCode(422);

    json()
        .body(Map.of("runs", Map.of("finished_before", TOMORROW), "dry_run", true))
        .post("/v1/admin/purge")
        .then()
        .statusCode(200)
        .body("workflow_runs", greaterThanOrEqualTo(1))
        .body("events", greaterThanOrEqualTo(2))
        .body("dry_run", equalTo(true));
    json().get("/v1/workflow-runs/" + settled).then().statusCode(200);

    json()
        .body(Map.of("runs", Map.of("finished_before", TOMORROW)))
        .post("/v1/admin/purge")
        .then()
        .statusCode(200)
        .body("workflow_runs", greaterThanOrEqualTo(1));
    json().get("/v1/workflow-runs/" + settled).then().statusCode(404);
    json().get("/v1/workflow-runs/" + settled + "/events").then().statusCode(404);
    json()
        .get("/v1/workflow-runs/" + active.id())
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("RUNNING"));
    json()
        .get("/v1/admin/audit")
        .then()
        .statusCode(200)
        .body("items.action", hasItem("admin.purge"))
        .body(
            "items.find { it.action == 'admin.purge' }.after.keySet()",
            hasItems("workflow_runs", "task_runs", "events"));
  }

  @Test
  void purgeOfArchivedWorkflowsSkipsThoseWithActiveRuns() {
    String idle = Api.createWorkflow(unique("wf"), unique("eng"));
    json().delete("/v1/workflows/" + idle).then().statusCode(204);
    RunLifecycleTest.HeldRun active = RunLifecycleTest.heldRunIn("RUNNING");
    String busy = json().get("/v1/workflow-runs/" + active.id()).path("workflow.id");
    json().delete("/v1/workflows/" + busy).then().statusCode(204);
    json()
        .body(Map.of("archived_workflows", true))
        .post("/v1/admin/purge")
        .then()
        .statusCode(200)
        .body("workflows", greaterThanOrEqualTo(1));
    json().get("/v1/workflows/" + idle).then().statusCode(404);
    json().get("/v1/workflows/" + busy).then().statusCode(200);
    json().get("/v1/workflow-runs/" + active.id()).then().statusCode(200);
  }

  @Test
  void deletingAWorkflowForGoodNeedsItArchivedAndIdle() {
    RunLifecycleTest.HeldRun active = RunLifecycleTest.heldRunIn("RUNNING");
    String workflowId = json().get("/v1/workflow-runs/" + active.id()).path("workflow.id");
    json()
        .delete("/v1/admin/workflows/" + workflowId)
        .then()
        .statusCode(409)
        .body("code", equalTo("workflow-not-archived"));
    json().delete("/v1/workflows/" + workflowId).then().statusCode(204);
    json()
        .delete("/v1/admin/workflows/" + workflowId)
        .then()
        .statusCode(409)
        .body("code", equalTo("workflow-has-active-runs"))
        .body("active_runs", equalTo(1));
    Api.report(active.id(), active.token(), "COMPLETED", 1, Map.of()).then().statusCode(200);
    json().delete("/v1/admin/workflows/" + workflowId).then().statusCode(204);
    json().get("/v1/workflows/" + workflowId).then().statusCode(404);
    json().get("/v1/workflow-runs/" + active.id()).then().statusCode(404);
    json().delete("/v1/admin/workflows/" + workflowId).then().statusCode(404);
  }

  @Test
  void forcedRunUpdateBypassesTheStateMachineAndIsAudited() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), unique("eng")), Map.of());
    Api.event(runId, Map.of("type", "CANCEL")).then().statusCode(200);
    json()
        .body(Map.of("lifecycle_status", "COMPLETED"))
        .patch("/v1/admin/workflow-runs/" + runId)
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/reason"))
        .body("errors[0].message", equalTo("reason is required"))
        .body("detail", equalTo("reason is required"));
    json()
        .header("X-Forwarded-User", "mallory") // not trusted: the caller is who authenticated
        .body(
            Map.of(
                "lifecycle_status",
                "COMPLETED",
                "status_message",
                "verified by hand",
                "labels",
                Map.of("kaapana.immutable.project", "p9"),
                "reason",
                "INC-1"))
        .patch("/v1/admin/workflow-runs/" + runId)
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("COMPLETED"))
        .body("status_message", equalTo("verified by hand"))
        .body("labels.'kaapana.immutable.project'", equalTo("p9"))
        .body("labels.'kaapana.io/workflow-id'", org.hamcrest.Matchers.notNullValue());
    json()
        .get("/v1/admin/audit")
        .then()
        .body("items.find { it.object_id == '" + runId + "' }.actor", equalTo("local"))
        .body(
            "items.find { it.object_id == '" + runId + "' }.before.lifecycle_status",
            equalTo("CANCELED"))
        .body(
            "items.find { it.object_id == '" + runId + "' }.after.lifecycle_status",
            equalTo("COMPLETED"))
        .body(
            "items.find { it.object_id == '" + runId + "' }.after.status_message",
            equalTo("verified by hand"))
        .body("items.find { it.object_id == '" + runId + "' }.reason", equalTo("INC-1"));
    json()
        .get("/v1/workflow-runs/" + runId + "/events")
        .then()
        .body("items.type", hasItem("workflow_run.forced_update"))
        .body(
            "items.find { it.type == 'workflow_run.forced_update' }.data.reason", equalTo("INC-1"))
        .body(
            "items.find { it.type == 'workflow_run.forced_update' }"
                + ".data.labels_after.'kaapana.immutable.project'",
            equalTo("p9"));
  }

  @Test
  void forcedWorkflowUpdateMayChangeImmutableLabels() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put("labels", Map.of("kaapana.immutable.project", "p1"));
    String id = json().body(body).post("/v1/workflows").then().statusCode(201).extract().path("id");
    String title = unique("renamed");
    json()
        .body(
            Map.of(
                "labels",
                Map.of("kaapana.immutable.project", "p2"),
                "title",
                title,
                "reason",
                "project move"))
        .patch("/v1/admin/workflows/" + id)
        .then()
        .statusCode(200)
        .body("labels.'kaapana.immutable.project'", equalTo("p2"))
        .body("title", equalTo(title))
        .body("increment", equalTo(2));
    json()
        .get("/v1/admin/audit")
        .then()
        .body(
            "items.find { it.object_id == '" + id + "' }.action", equalTo("workflow.force_update"))
        .body(
            "items.find { it.object_id == '" + id + "' }.before.labels.'kaapana.immutable.project'",
            equalTo("p1"))
        .body("items.find { it.object_id == '" + id + "' }.before.increment", equalTo(1))
        .body("items.find { it.object_id == '" + id + "' }.after.title", equalTo(title))
        .body("items.find { it.object_id == '" + id + "' }.after.increment", equalTo(2));
  }

  @Test
  void auditPagesAreStable() {
    String first =
        json()
            .queryParam("limit", "1")
            .get("/v1/admin/audit")
            .then()
            .statusCode(200)
            .extract()
            .path("next_page_token");
    if (first != null) {
      json()
          .queryParam("limit", "1")
          .queryParam("page_token", first)
          .get("/v1/admin/audit")
          .then()
          .statusCode(200);
    }
    json()
        .queryParam("page_token", "%%%")
        .get("/v1/admin/audit")
        .then()
        .statusCode(400)
        .body("code", containsString("page-token"));
  }
}
