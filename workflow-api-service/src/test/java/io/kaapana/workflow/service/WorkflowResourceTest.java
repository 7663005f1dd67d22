package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class WorkflowResourceTest {

  @Test
  void createReturns201WithLocationEtagAndFirstRevision() {
    String title = unique("wf");
    json()
        .body(Api.workflowBody(title, "local"))
        .post("/v1/workflows")
        .then()
        .statusCode(201)
        .header("Location", containsString("/v1/workflows/"))
        .header("ETag", notNullValue())
        .body("title", equalTo(title))
        .body("increment", equalTo(1))
        .body("archived", equalTo(false))
        .body("validation.status", equalTo("PENDING"))
        .body("labels.team", equalTo("imaging"))
        .body("labels.'kaapana.io/workflow-engine'", equalTo("local"))
        .body("spec_hash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"))
        .body("tasks", hasSize(0));
  }

  @Test
  void identicalRepostReturnsTheExistingWorkflowWith200() {
    String title = unique("wf");
    String id = Api.createWorkflow(title, "local");
    json()
        .body(Api.workflowBody(title, "local"))
        .post("/v1/workflows")
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
  }

  @Test
  void concurrentIdenticalPostsCreateOneWorkflow() throws Exception {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(10);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<io.restassured.response.Response>> posts =
          new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        posts.add(
            pool.submit(
                () -> {
                  start.await();
                  return json().body(body).post("/v1/workflows");
                }));
      }
      start.countDown();
      java.util.Set<String> ids = new java.util.HashSet<>();
      int created = 0;
      for (var post : posts) {
        io.restassured.response.Response r = post.get();
        assertThat(r.statusCode()).isIn(200, 201);
        created += r.statusCode() == 201 ? 1 : 0;
        ids.add(r.path("id"));
      }
      assertThat(created).isEqualTo(1);
      assertThat(ids).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sameTitleWithOtherContentIs409NamingTheExistingWorkflow() {
    String title = unique("wf");
    String id = Api.createWorkflow(title, "local");
    Map<String, Object> other = Api.workflowBody(title, "local");
    other.put("definition", "something else");
    json()
        .body(other)
        .post("/v1/workflows")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("title-taken"))
        .body("type", equalTo("urn:kaapana:workflow-api:problem:title-taken"))
        .body("existing_workflow.id", equalTo(id))
        .body("existing_workflow.workflow_engine", equalTo("local"))
        .body("existing_workflow.increment", equalTo(1))
        .body("existing_workflow.spec_hash", notNullValue())
        .body("incoming_spec_hash", not(equalTo(null)))
        .body("incoming_workflow_engine", equalTo("local"));
  }

  @Test
  void invalidParametersSchemaIs422WithPointer() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put(
        "parameters_schema",
        Map.of("type", "object", "properties", Map.of("n", Map.of("type", "no-such-type"))));
    json()
        .body(body)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("code", equalTo("validation-failed"))
        .body("errors.pointer", hasItem(containsString("/parameters_schema")));
  }

  @Test
  void remoteSchemaReferencesAreRefused() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put(
        "parameters_schema",
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("n", Map.of("$ref", "http://example.org/s.json"))));
    json()
        .body(body)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("errors.pointer", hasItem("/parameters_schema/properties/n/$ref"));
  }

  @Test
  void systemLabelPrefixAndBadLabelsAre422() {
    Map<String, Object> body = Api.workflowBody(unique("wf"), "local");
    body.put(
        "labels",
        Map.of("kaapana.io/workflow-id", "x", "bad key!", "v", "ok", "bad value with spaces"));
    json()
        .body(body)
        .post("/v1/workflows")
        .then()
        .statusCode(422)
        .body("errors.pointer", hasItem("/labels/kaapana.io~1workflow-id"))
        .body("errors.pointer", hasItem("/labels/bad key!"))
        .body("errors.pointer", hasItem("/labels/ok"));
  }

  @Test
  void getUnknownIs404AndMalformedIdIs404() {
    json()
        .get("/v1/workflows/00000000-0000-0000-0000-000000000000")
        .then()
        .statusCode(404)
        .body("code", equalTo("not-found"));
    json()
        .get("/v1/workflows/not-a-uuid")
        .then()
        .statusCode(404)
        .body("code", equalTo("not-found"));
  }

  @Test
  void patchTitleChangesInPlaceAndDefinitionAppendsARevision() {
    String id = Api.createWorkflow(unique("wf"), "local");
    String newTitle = unique("renamed");
    json()
        .contentType("application/merge-patch+json")
        .body(Map.of("title", newTitle, "description", "d"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .body("title", equalTo(newTitle))
        .body("description", equalTo("d"))
        .body("increment", equalTo(1));
    json()
        .body(Map.of("definition", "tasks: []", "labels", Map.of("team", (Object) "radiology")))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .body("increment", equalTo(2))
        .body("definition", equalTo("tasks: []"))
        .body("labels.team", equalTo("radiology"));
    json()
        .get("/v1/workflows/" + id + "/revisions")
        .then()
        .statusCode(200)
        .body("items.increment", equalTo(List.of(1, 2)));
    json()
        .get("/v1/workflows/" + id + "/revisions/1")
        .then()
        .statusCode(200)
        .body("definition", containsString("echo"));
    json().get("/v1/workflows/" + id + "/revisions/9").then().statusCode(404);
  }

  @Test
  void mergePatchNullRemovesALabel() {
    String id = Api.createWorkflow(unique("wf"), "local");
    Map<String, Object> labels = new HashMap<>();
    labels.put("team", null);
    json()
        .body(Map.of("labels", labels))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .body("labels.team", nullValue());
  }

  @Test
  void engineCannotChangeAndUnknownFieldsAreRefused() {
    String id = Api.createWorkflow(unique("wf"), "local");
    json()
        .body(Map.of("workflow_engine", "airflow"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(422)
        .body("errors.pointer", hasItem("/workflow_engine"))
        .body(
            "errors.message",
            hasItem("workflow_engine cannot change; create a new workflow instead"));
    json()
        .body(Map.of("colour", "red"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(400)
        .body("errors.pointer", hasItem("/colour"));
  }

  @Test
  void valuesOfTheWrongTypeInAPatchAreNamedEachAndChangeNothing() {
    String id = Api.createWorkflow(unique("wf"), "local");
    String etag = json().get("/v1/workflows/" + id).then().statusCode(200).extract().header("ETag");
    Map<String, Object> patch = new HashMap<>();
    patch.put("title", 7);
    patch.put("description", List.of("x"));
    patch.put("definition", null);
    patch.put("labels", Map.of("team", 3, "site", "b"));
    json()
        .body(patch)
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(422)
        .body("code", equalTo("validation-failed"))
        .body(
            "errors.pointer",
            containsInAnyOrder("/title", "/description", "/definition", "/labels/team"))
        .body("errors.message", hasItem("label values must be strings or null"));
    json()
        .body(Map.of("labels", "team=a"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(422)
        .body("errors.message", hasItem("labels must be an object of strings"));
    json().get("/v1/workflows/" + id).then().header("ETag", equalTo(etag));
  }

  @Test
  void ifMatchMismatchIs412AndChangesNothing() {
    String id = Api.createWorkflow(unique("wf"), "local");
    String etag = json().get("/v1/workflows/" + id).then().statusCode(200).extract().header("ETag");
    json()
        .header("If-Match", "\"999\"")
        .body(Map.of("description", "x"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(412)
        .body("code", equalTo("precondition-failed"));
    json()
        .get("/v1/workflows/" + id)
        .then()
        .body("description", nullValue())
        .header("ETag", equalTo(etag));
    json()
        .header("If-Match", etag)
        .body(Map.of("description", "x"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .header("ETag", not(equalTo(etag)));
  }

  @Test
  void immutableLabelsMayBeAddedButNeverChangedOrRemoved() {
    String id = Api.createWorkflow(unique("wf"), "local");
    json()
        .body(Map.of("labels", Map.of("kaapana.immutable.project", "p1")))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(200);
    json()
        .body(Map.of("labels", Map.of("kaapana.immutable.project", "p2")))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("cannot change"));
    Map<String, Object> remove = new HashMap<>();
    remove.put("kaapana.immutable.project", null);
    json()
        .body(Map.of("labels", remove))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("cannot be removed"));
  }

  @Test
  void archiveFreesTheTitleKeepsRunsAndRefusesNewRuns() {
    String title = unique("wf");
    String id = Api.createWorkflow(title, "local");
    String runId = Api.createRunId(id, Map.of());
    json().delete("/v1/workflows/" + id).then().statusCode(204);
    json().get("/v1/workflows/" + id).then().statusCode(200).body("archived", equalTo(true));
    json().get("/v1/workflow-runs/" + runId).then().statusCode(200);
    Api.createRun(id, Map.of()).then().statusCode(409).body("code", equalTo("workflow-archived"));
    json()
        .body(Map.of("description", "x"))
        .patch("/v1/workflows/" + id)
        .then()
        .statusCode(409)
        .body("code", equalTo("workflow-archived"));
    String second = Api.createWorkflow(title, "local");
    assertThat(second).isNotEqualTo(id);
    json()
        .queryParam("title", title)
        .get("/v1/workflows")
        .then()
        .body("items.id", equalTo(List.of(second)));
    json()
        .queryParam("title", title)
        .queryParam("include_archived", "true")
        .get("/v1/workflows")
        .then()
        .body("items", hasSize(2));
  }

  @Test
  void listFiltersByEngineAndLabelSelectorAndPagesStably() {
    String engine = unique("eng");
    for (int i = 0; i < 5; i++) {
      Map<String, Object> body = Api.workflowBody(unique("wf"), engine);
      body.put("labels", Map.of("tier", i % 2 == 0 ? "gold" : "silver"));
      json().body(body).post("/v1/workflows").then().statusCode(201);
    }
    json()
        .queryParam("workflow_engine", engine)
        .queryParam("label_selector", "tier=gold")
        .queryParam("include_total", "true")
        .get("/v1/workflows")
        .then()
        .statusCode(200)
        .body("items", hasSize(3))
        .body("total", equalTo(3));
    json()
        .queryParam("workflow_engine", engine)
        .queryParam("label_selector", "tier notin (gold)")
        .get("/v1/workflows")
        .then()
        .body("items", hasSize(2));
    String token =
        json()
            .queryParam("workflow_engine", engine)
            .queryParam("limit", "2")
            .queryParam("order_by", "title")
            .queryParam("order", "asc")
            .get("/v1/workflows")
            .then()
            .body("items", hasSize(2))
            .extract()
            .path("next_page_token");
    json()
        .queryParam("workflow_engine", engine)
        .queryParam("limit", "2")
        .queryParam("order_by", "title")
        .queryParam("order", "asc")
        .queryParam("page_token", token)
        .get("/v1/workflows")
        .then()
        .body("items", hasSize(2));
    json()
        .queryParam("workflow_engine", engine)
        .queryParam("page_token", token)
        .get("/v1/workflows")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid-page-token"));
  }

  @Test
  void tasksAreEmptyUntilAnAdapterReportsTheGraph() {
    String id = Api.createWorkflow(unique("wf"), "local");
    json().get("/v1/workflows/" + id + "/tasks").then().statusCode(200).body("", hasSize(0));
    String etagBefore = json().get("/v1/workflows/" + id).header("ETag");
    json()
        .body(
            Map.of(
                "status", "VALID",
                "tasks",
                    List.of(
                        Map.of("title", "a", "downstream", List.of("b")),
                        Map.of("title", "b", "downstream", List.of())),
                "engine_ref", "dag-1",
                "adapter_id", "a-1"))
        .put("/v1/workflows/" + id + "/revisions/1/validation")
        .then()
        .statusCode(200)
        .body("validation.status", equalTo("VALID"))
        .body("engine_ref", equalTo("dag-1"));
    json()
        .get("/v1/workflows/" + id)
        .then()
        .header("ETag", not(equalTo(etagBefore)))
        .body("validation.status", equalTo("VALID"));
    json()
        .get("/v1/workflows/" + id + "/tasks")
        .then()
        .body("title", equalTo(List.of("a", "b")))
        .body("[0].downstream", equalTo(List.of("b")));
    json()
        .body(
            Map.of(
                "status",
                "VALID",
                "tasks",
                List.of(Map.of("title", "a", "downstream", List.of("zzz")))))
        .put("/v1/workflows/" + id + "/revisions/1/validation")
        .then()
        .statusCode(422);
  }
}
