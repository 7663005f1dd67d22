package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class RunResourceTest {

  @Test
  void createAppliesDefaultsAndSystemLabels() {
    String title = unique("wf");
    String workflowId = Api.createWorkflow(title, "local");
    json()
        .body(
            Map.of(
                "workflow",
                Map.of("title", title),
                "parameters",
                Map.of("mode", "fast"),
                "labels",
                Map.of("kaapana.experiment", "e1")))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(201)
        .header("Location", containsString("/v1/workflow-runs/"))
        .header("ETag", notNullValue())
        .body("lifecycle_status", equalTo("CREATED"))
        .body("attempt", equalTo(1))
        .body("workflow.id", equalTo(workflowId))
        .body("workflow.increment", equalTo(1))
        .body("parameters.size", equalTo(3))
        .body("parameters.mode", equalTo("fast"))
        .body("labels.team", equalTo("imaging"))
        .body("labels.'kaapana.experiment'", equalTo("e1"))
        .body("labels.'kaapana.io/workflow-id'", equalTo(workflowId))
        .body("labels.'kaapana.io/workflow-title'", equalTo(title))
        .body("labels.'kaapana.io/revision'", equalTo("1"))
        .body("task_run_counts", equalTo(Map.of()));
  }

  @Test
  void runIdsAreTimeOrderedVersion7Uuids() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    String first = Api.createRunId(workflowId, Map.of());
    String second = Api.createRunId(workflowId, Map.of());
    assertThat(first.charAt(14)).isEqualTo('7');
    assertThat(first.compareTo(second)).isLessThan(0);
  }

  @Test
  void defaultsFillAbsentParametersAtEveryLevelButNotExplicitNulls() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put(
        "parameters_schema",
        Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                "model",
                Map.of(
                    "type",
                    "object",
                    "properties",
                    Map.of("epochs", Map.of("type", "integer", "default", 5))),
                "threshold",
                Map.of("type", List.of("number", "null"), "default", 0.1),
                "rate",
                Map.of("type", "number", "default", 0.1))));
    String workflowId =
        json().body(body).post("/v1/workflows").then().statusCode(201).extract().path("id");
    Map<String, Object> parameters = new java.util.HashMap<>();
    parameters.put("model", Map.of());
    parameters.put("threshold", null);
    String run =
        json()
            .body(Map.of("workflow", Map.of("id", workflowId), "parameters", parameters))
            .post("/v1/workflow-runs")
            .then()
            .statusCode(201)
            .extract()
            .asString();
    assertThat(run)
        .contains("\"epochs\":5")
        .contains("\"threshold\":null")
        .contains("\"rate\":0.1");
  }

  @Test
  void parametersFailingTheSchemaAre422WithPointers() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    json()
        .body(
            Map.of(
                "workflow",
                Map.of("id", workflowId),
                "parameters",
                Map.of("size", 0, "extra", true)))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(422)
        .body("code", equalTo("invalid-parameters"))
        .body("errors.pointer", hasItem("/parameters/size"))
        .body("errors.pointer", hasItem("/parameters/extra"));
    json()
        .queryParam("workflow_id", workflowId)
        .get("/v1/workflow-runs")
        .then()
        .body("items", hasSize(0));
  }

  @Test
  void unknownWorkflowOrRevisionIs404AndInvalidRevisionIs409() {
    json()
        .body(Map.of("workflow", Map.of("id", "00000000-0000-0000-0000-000000000000")))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(404);
    json()
        .body(Map.of("workflow", Map.of("title", unique("nothing"))))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(404);
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    json()
        .body(Map.of("workflow", Map.of("id", workflowId, "increment", 7)))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(404);
    json()
        .body(Map.of("status", "INVALID", "messages", List.of("line 3: syntax error")))
        .put("/v1/workflows/" + workflowId + "/revisions/1/validation")
        .then()
        .statusCode(200);
    Api.createRun(workflowId, Map.of())
        .then()
        .statusCode(409)
        .body("code", equalTo("definition-invalid"))
        .body("detail", containsString("syntax error"));
  }

  @Test
  void runLabelsMayNotChangeAnImmutableLabelOfTheRevision() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put("labels", Map.of("kaapana.immutable.project", "p1"));
    String workflowId =
        json().body(body).post("/v1/workflows").then().statusCode(201).extract().path("id");
    Api.createRun(workflowId, Map.of("kaapana.immutable.project", "p2")).then().statusCode(422);
    Api.createRun(workflowId, Map.of("kaapana.io/revision", "9")).then().statusCode(422);
  }

  @Test
  void idempotencyKeyReplaysTheOriginalRunAndRefusesAnotherBody() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    String key = unique("key");
    Map<String, Object> body =
        Map.of("workflow", Map.of("id", workflowId), "labels", Map.of("a", "1"));
    String id =
        json()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/v1/workflow-runs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    json()
        .header("Idempotency-Key", key)
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
    json()
        .header("Idempotency-Key", key)
        .body(Map.of("workflow", Map.of("id", workflowId), "labels", Map.of("a", "2")))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(409)
        .body("code", equalTo("idempotency-key-reused"));
    json()
        .queryParam("workflow_id", workflowId)
        .get("/v1/workflow-runs")
        .then()
        .body("items", hasSize(1));
  }

  @Test
  void twentyConcurrentPostsWithOneKeyCreateOneRun() throws Exception {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    String key = unique("key");
    Map<String, Object> body = Map.of("workflow", Map.of("id", workflowId));
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Callable<Response> call =
            () -> {
              start.await();
              return json().header("Idempotency-Key", key).body(body).post("/v1/workflow-runs");
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      Set<String> ids = new HashSet<>();
      int created = 0;
      for (Future<Response> f : futures) {
        Response r = f.get();
        assertThat(r.statusCode()).isIn(200, 201);
        if (r.statusCode() == 201) {
          created++;
        }
        ids.add(r.path("id"));
      }
      assertThat(created).isEqualTo(1);
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    json()
        .queryParam("workflow_id", workflowId)
        .queryParam("include_total", "true")
        .get("/v1/workflow-runs")
        .then()
        .body("total", equalTo(1));
  }

  @Test
  void listFiltersByStatusSelectorAndTime() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    String experiment = unique("exp");
    String a = Api.createRunId(workflowId, Map.of("kaapana.experiment", experiment));
    Api.createRunId(workflowId, Map.of("kaapana.experiment", unique("other")));
    Api.event(a, Map.of("type", "CANCEL")).then().statusCode(200);
    json()
        .queryParam("label_selector", "kaapana.experiment=" + experiment)
        .get("/v1/workflow-runs")
        .then()
        .body("items.id", equalTo(List.of(a)));
    json()
        .queryParam("workflow_id", workflowId)
        .queryParam("lifecycle_status", "CANCELED,ERROR")
        .get("/v1/workflow-runs")
        .then()
        .body("items.id", equalTo(List.of(a)));
    json()
        .queryParam("workflow_id", workflowId)
        .queryParam("created_after", "2999-01-01T00:00:00Z")
        .get("/v1/workflow-runs")
        .then()
        .body("items", hasSize(0));
    json()
        .queryParam("lifecycle_status", "DONE")
        .get("/v1/workflow-runs")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid-query"));
    json().queryParam("created_after", "yesterday").get("/v1/workflow-runs").then().statusCode(400);
    json().queryParam("limit", "501").get("/v1/workflow-runs").then().statusCode(400);
    json()
        .queryParam("label_selector", "a in (b")
        .get("/v1/workflow-runs")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid-label-selector"));
  }

  @Test
  void paginationIsStableWhileRowsAreInserted() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(Api.createRunId(workflowId, Map.of()));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      var request = json().queryParam("workflow_id", workflowId).queryParam("limit", "3");
      if (token != null) {
        request.queryParam("page_token", token);
      }
      Response page = request.get("/v1/workflow-runs");
      seen.addAll(page.path("items.id"));
      token = page.path("next_page_token");
      Api.createRunId(
          workflowId, Map.of()); // inserted while paging: newer, so never in a later page
    } while (token != null);
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void taskRunsOfARunWithoutTasksIsAnEmpty200() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), "local"), Map.of());
    json()
        .get("/v1/workflow-runs/" + runId + "/task-runs")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    json()
        .get("/v1/workflow-runs/" + runId + "/task-runs/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404);
    json()
        .get("/v1/workflow-runs/00000000-0000-0000-0000-000000000000/task-runs")
        .then()
        .statusCode(404);
  }

  @Test
  void runWithoutAdapterSaysSo() {
    String engine = unique("eng");
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of());
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .body(
            "status_message",
            containsString("no adapter is registered for workflow engine '" + engine + "'"));
  }

  @Test
  void historyListsEveryChangeOldestFirst() {
    String runId = Api.createRunId(Api.createWorkflow(unique("wf"), "local"), Map.of());
    Api.event(runId, Map.of("type", "CANCEL", "reason", "not needed"))
        .then()
        .statusCode(200)
        .body("lifecycle_status", equalTo("CANCELED"));
    json()
        .get("/v1/workflow-runs/" + runId + "/events")
        .then()
        .statusCode(200)
        .body("items.type", equalTo(List.of("workflow_run.created", "workflow_run.status_changed")))
        .body("items[1].from", equalTo("CREATED"))
        .body("items[1].to", equalTo("CANCELED"));
  }
}
