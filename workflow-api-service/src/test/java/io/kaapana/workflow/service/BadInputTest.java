package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** No request can produce a 500 by its content: every bad input is a 4xx problem document. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final List<String> BAD_BODIES =
      List.of(
          "",
          "{",
          "[]",
          "\"text\"",
          "123",
          "null",
          "true",
          "{\"unknown\":1}",
          "{\"type\":\"NOPE\"}",
          "{\"title\":[1,2]}",
          "{\"labels\":\"x\"}",
          "{\"labels\":{\"a\":1}}",
          "{\"workflow\":\"x\"}",
          "{\"workflow\":{\"id\":\"not-a-uuid\"}}",
          "{\"parameters\":[]}",
          "{\"lease_token\":\"zzz\"}",
          "{\"attempt\":\"one\"}",
          "{\"attempt\":1.5}",
          "{\"limit\":\"5\"}",
          "{\"status\":\"MAYBE\"}",
          "{\"runs\":{\"finished_before\":\"last week\"}}",
          "{\"task_runs\":[null]}",
          "{\"tasks\":[null]}",
          "{\"capabilities\":\"CANCEL\"}",
          "{\"capabilities\":[null]}",
          "{\"lifecycle_status\":[null]}",
          "{\"runs\":{\"lifecycle_status\":[null],\"finished_before\":\"2026-01-01T00:00:00Z\"}}",
          "{\"status\":\"VALID\",\"tasks\":[{\"title\":\"a\",\"downstream\":[null]}]}",
          "{\"messages\":[null]}",
          "{\"label_selector\":5}",
          "\u0000",
          "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}");

  private String workflowId;
  private String runId;
  private String taskRunId;
  private final List<String> failures = new ArrayList<>();

  @BeforeEach
  void data() {
    failures.clear();
    if (runId != null) {
      return;
    }
    String engine = unique("eng");
    workflowId = Api.createWorkflow(unique("wf"), engine);
    runId = Api.createRunId(workflowId, Map.of());
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "", List.of("RETRY_TASK"), 60, null);
    String token = Api.claim(adapter, 10, 0).get(runId);
    Api.report(
            runId,
            token,
            "RUNNING",
            1,
            Map.of("task_runs", List.of(Map.of("task_title", "a", "lifecycle_status", "ERROR"))))
        .then()
        .statusCode(200);
    taskRunId = json().get("/v1/workflow-runs/" + runId + "/task-runs").path("items[0].id");
  }

  private void check(String method, String path, String body, String contentType) {
    // The URLs below are written already percent-encoded, e.g. %00 is a NUL character.
    var request =
        given().urlEncodingEnabled(false).contentType(contentType).accept("application/json");
    if (body != null) {
      request.body(body);
    }
    Response r = request.request(method, path);
    int status = r.statusCode();
    boolean ok =
        status >= 400 && status < 500 && r.contentType().startsWith("application/problem+json");
    if (!ok) {
      failures.add(
          method
              + " "
              + path
              + " body="
              + abbreviate(body)
              + " -> "
              + status
              + " "
              + r.contentType());
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  @Test
  void everyWriteEndpointAnswersBadBodiesWithA4xxProblem() {
    List<String[]> endpoints =
        List.of(
            new String[] {"POST", "/v1/workflows"},
            new String[] {"PATCH", "/v1/workflows/" + workflowId},
            new String[] {"POST", "/v1/workflow-runs"},
            new String[] {"POST", "/v1/workflow-runs/" + runId + "/events"},
            new String[] {
              "POST", "/v1/workflow-runs/" + runId + "/task-runs/" + taskRunId + "/events"
            },
            new String[] {"POST", "/v1/bulk/workflow-run-events"},
            new String[] {"PUT", "/v1/adapters/" + unique("adapter")},
            new String[] {"POST", "/v1/workflow-runs/" + runId + "/status"},
            new String[] {"PUT", "/v1/workflows/" + workflowId + "/revisions/1/validation"},
            new String[] {"POST", "/v1/admin/purge"},
            new String[] {"PATCH", "/v1/admin/workflow-runs/" + runId},
            new String[] {"PATCH", "/v1/admin/workflows/" + workflowId});
    for (String[] endpoint : endpoints) {
      for (String body : BAD_BODIES) {
        check(endpoint[0], endpoint[1], body, "application/json");
      }
      check(endpoint[0], endpoint[1], "x", "text/plain");
    }
    assertThat(failures).isEmpty();
    // and nothing changed
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .statusCode(200)
        .body("lifecycle_status", org.hamcrest.Matchers.equalTo("RUNNING"));
  }

  @Test
  void badQueryParametersAre400() {
    List<String> urls =
        List.of(
            "/v1/workflows?limit=x",
            "/v1/workflows?limit=-1",
            "/v1/workflows?order_by=colour",
            "/v1/workflows?order=up",
            "/v1/workflows?include_total=yes",
            "/v1/workflows?include_archived=1",
            "/v1/workflows?page_token=%21%21",
            "/v1/workflows?label_selector=%21",
            "/v1/workflows?label_selector=a%20in%20()",
            "/v1/workflows?label_selector=bad%20key%3Dv",
            "/v1/workflow-runs?workflow_id=zzz",
            "/v1/workflow-runs?lifecycle_status=DONE",
            "/v1/workflow-runs?created_before=now",
            "/v1/workflow-runs?page_token=" + "YWJj",
            "/v1/workflow-runs?order_by=title",
            "/v1/workflow-runs/" + runId + "/task-runs?lifecycle_status=X",
            "/v1/workflow-runs/" + runId + "/events?after=-1",
            "/v1/events?after=abc",
            "/v1/events?object_type=planet",
            "/v1/events?workflow_run_id=1",
            "/v1/events?limit=100000",
            "/v1/workflow-runs/" + runId + "/task-runs/" + taskRunId + "/logs?attempt=0",
            "/v1/workflows/" + workflowId + "/revisions?page_token=%25",
            "/v1/admin/audit?limit=0",
            "/v1/workflows?title=%00",
            "/v1/workflow-runs?workflow_title=a%00b",
            "/v1/workflow-runs?adapter_id=%00",
            "/v1/events?type=%00");
    for (String url : urls) {
      check("GET", url, null, "application/json");
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void unknownPathsMethodsAndMediaTypesAreProblems() {
    check("GET", "/v1/nothing-here", null, "application/json");
    check("DELETE", "/v1/workflow-runs/" + runId, null, "application/json");
    check("GET", "/v1/workflow-runs/not-a-uuid", null, "application/json");
    check("GET", "/v1/workflows/" + workflowId + "/revisions/abc", null, "application/json");
    check("DELETE", "/v1/adapters/a%00b", null, "application/json");
    check("POST", "/v1/adapters/a%00b/claims", "{}", "application/json");
    assertThat(failures).isEmpty();
  }

  @Test
  void aMethodThePathDoesNotAnswerIs405WithTheMethodsItDoes() {
    Response run = json().delete("/v1/workflow-runs/" + runId);
    assertThat(run.statusCode()).isEqualTo(405);
    assertThat(run.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    assertThat(run.jsonPath().getString("code")).isEqualTo("method-not-allowed");
    Response workflows = json().body("{}").put("/v1/workflows");
    assertThat(workflows.statusCode()).isEqualTo(405);
    assertThat(workflows.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    Response events = json().body("{}").put("/v1/workflow-runs/" + runId + "/events");
    assertThat(events.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    // OPTIONS says the same (the REST layer's own answer listed DELETE and PATCH here)
    Response options = json().options("/v1/workflows");
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
  }

  @Test
  void hugeNumbersAreNoProblemForHashesOrValidation() {
    given()
        .contentType("application/json")
        .header("Idempotency-Key", unique("k"))
        .body("{\"workflow\":{\"id\":\"" + workflowId + "\"},\"parameters\":{\"size\":1e400}}")
        .post("/v1/workflow-runs")
        .then()
        .statusCode(422)
        .body("errors[0].pointer", org.hamcrest.Matchers.equalTo("/parameters/size"));
    given()
        .contentType("application/json")
        .body(
            "{\"title\":\""
                + unique("wf")
                + "\",\"workflow_engine\":\"local\",\"definition\":\"d\","
                + "\"parameters_schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"maximum\":1e400,\"default\":0.1}}}}")
        .post("/v1/workflows")
        .then()
        .statusCode(201)
        .body("parameters_schema.properties.n.default", org.hamcrest.Matchers.equalTo(0.1f));
  }

  @Test
  void valuesTheDatabaseCannotStoreAre422AndChangeNothing() {
    String title = unique("wf");
    given()
        .contentType("application/json")
        .body(
            "{\"title\":\""
                + title
                + "\",\"workflow_engine\":\"local\",\"definition\":\"a\\u0000b\"}")
        .post("/v1/workflows")
        .then()
        .statusCode(422);
    given()
        .contentType("application/json")
        .body(
            "{\"title\":\""
                + title
                + "\",\"workflow_engine\":\"local\",\"definition\":\"d\",\"description\":\"\\u0000\"}")
        .post("/v1/workflows")
        .then()
        .statusCode(422);
    json()
        .queryParam("title", title)
        .get("/v1/workflows")
        .then()
        .body("items", org.hamcrest.Matchers.hasSize(0));
    String open =
        json()
            .body(Map.of("title", unique("wf"), "workflow_engine", "local", "definition", "d"))
            .post("/v1/workflows")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    given()
        .contentType("application/json")
        .header("Idempotency-Key", unique("k"))
        .body(
            "{\"workflow\":{\"id\":\""
                + open
                + "\"},\"parameters\":{\"x\":1e100000000,\"y\":\"\\u0000\"}}")
        .post("/v1/workflow-runs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json");
    json()
        .queryParam("workflow_id", open)
        .get("/v1/workflow-runs")
        .then()
        .body("items", org.hamcrest.Matchers.hasSize(0));
  }

  @Test
  void nullsInsideListsAreWrongTypesNotCrashes() {
    check(
        "PUT",
        "/v1/adapters/" + unique("adapter"),
        "{\"workflow_engine\":\"local\",\"capabilities\":[null]}",
        "application/json");
    check(
        "POST",
        "/v1/bulk/workflow-run-events",
        "{\"label_selector\":\"a=b\",\"lifecycle_status\":[null],\"type\":\"CANCEL\"}",
        "application/json");
    check(
        "POST",
        "/v1/admin/purge",
        "{\"runs\":{\"lifecycle_status\":[null],\"finished_before\":\"2026-01-01T00:00:00Z\"},\"dry_run\":true}",
        "application/json");
    check(
        "PUT",
        "/v1/workflows/" + workflowId + "/revisions/1/validation",
        "{\"status\":\"VALID\",\"messages\":[],\"tasks\":[{\"title\":\"a\",\"downstream\":[null]}]}",
        "application/json");
    check(
        "PUT",
        "/v1/workflows/" + workflowId + "/revisions/1/validation",
        "{\"status\":\"VALID\",\"messages\":[null]}",
        "application/json");
    assertThat(failures).isEmpty();
  }

  @Test
  void anOversizedBodyIsRefused() {
    String huge = "{\"title\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}";
    Response r = given().contentType("application/json").body(huge).post("/v1/workflows");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.<String>path("code")).isEqualTo("payload-too-large");
  }
}
