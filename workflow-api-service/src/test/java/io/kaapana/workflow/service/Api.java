package io.kaapana.workflow.service;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers that speak the REST API the way a client or an adapter would. */
public final class Api {
  private Api() {}

  public static RequestSpecification json() {
    return given().contentType(ContentType.JSON).accept(ContentType.JSON);
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static Map<String, Object> workflowBody(String title, String engine) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", title);
    body.put("workflow_engine", engine);
    body.put("definition", "tasks: [{name: a, command: [echo, hi]}]");
    body.put(
        "parameters_schema",
        Map.of(
            "type",
            "object",
            "properties",
            Map.of(
                "size",
                Map.of("type", "integer", "minimum", 1, "default", 3),
                "mode",
                Map.of("type", "string")),
            "additionalProperties",
            false));
    body.put("labels", Map.of("team", "imaging"));
    return body;
  }

  /** Creates a workflow and returns its id. */
  public static String createWorkflow(String title, String engine) {
    return json()
        .body(workflowBody(title, engine))
        .post("/v1/workflows")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public static Response createRun(String workflowId, Map<String, String> labels) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow", Map.of("id", workflowId));
    body.put("parameters", Map.of());
    body.put("labels", labels);
    return json().body(body).post("/v1/workflow-runs");
  }

  public static String createRunId(String workflowId, Map<String, String> labels) {
    return createRun(workflowId, labels).then().statusCode(201).extract().path("id");
  }

  /** A run held by a new adapter (endpoint {@code adapterEndpoint}) and its RUNNING task run. */
  public record RunningTask(String runId, String taskRunId) {}

  /**
   * Registers an adapter that reads logs at {@code adapterEndpoint}, and a run it holds whose task
   * "work" is RUNNING.
   */
  public static RunningTask runningTask(String adapterEndpoint) {
    String engine = unique("eng");
    String adapterId = unique("adapter");
    registerAdapter(adapterId, engine, "", List.of("LOGS"), 60, adapterEndpoint);
    String runId = createRunId(createWorkflow(unique("wf"), engine), Map.of());
    String token = claim(adapterId, 10, 0).get(runId);
    report(
            runId,
            token,
            "RUNNING",
            1,
            Map.of(
                "task_runs",
                List.of(Map.of("task_title", "work", "lifecycle_status", "RUNNING", "attempt", 1))))
        .then()
        .statusCode(200);
    String taskRunId =
        json().get("/v1/workflow-runs/" + runId + "/task-runs").path("items[0].id").toString();
    return new RunningTask(runId, taskRunId);
  }

  public static void registerAdapter(
      String adapterId,
      String engine,
      String selector,
      List<String> capabilities,
      int leaseSeconds,
      String endpoint) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow_engine", engine);
    body.put("label_selector", selector);
    body.put("capabilities", capabilities);
    body.put("lease_seconds", leaseSeconds);
    if (endpoint != null) {
      body.put("endpoint_url", endpoint);
    }
    json().body(body).put("/v1/adapters/" + adapterId).then().statusCode(200);
  }

  /** Claims work and returns run id → lease token. */
  public static Map<String, String> claim(String adapterId, int limit, int waitSeconds) {
    List<Map<String, Object>> runs =
        json()
            .body(Map.of("limit", limit, "wait_seconds", waitSeconds))
            .post("/v1/adapters/" + adapterId + "/claims")
            .then()
            .statusCode(200)
            .extract()
            .path("runs");
    Map<String, String> tokens = new LinkedHashMap<>();
    for (Map<String, Object> run : runs) {
      tokens.put((String) run.get("id"), (String) run.get("lease_token"));
    }
    return tokens;
  }

  /** Claims work and returns the claimed runs as the adapter sees them. */
  public static List<Map<String, Object>> claimedRuns(String adapterId) {
    return json()
        .body(Map.of("limit", 10))
        .post("/v1/adapters/" + adapterId + "/claims")
        .then()
        .statusCode(200)
        .extract()
        .path("runs");
  }

  public static Response report(
      String runId, String token, String state, int attempt, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("lease_token", token);
    body.put("lifecycle_status", state);
    body.put("attempt", attempt);
    body.putAll(extra);
    return json().body(body).post("/v1/workflow-runs/" + runId + "/status");
  }

  public static Response event(String runId, Map<String, Object> body) {
    return json().body(body).post("/v1/workflow-runs/" + runId + "/events");
  }
}
