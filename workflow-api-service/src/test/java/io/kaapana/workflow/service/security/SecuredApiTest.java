package io.kaapana.workflow.service.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.kaapana.workflow.service.Api;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.kaapana.workflow.service.SseClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service with a real Keycloak in front: who may do what, and what each user sees. Users of the
 * test realm: alice (user, project-a), bob (user, project-b), dana (user and workflow-developer,
 * both projects), root (admin); clients workflow-adapter (adapter) and workflow-api (none of the
 * API's roles).
 */
@QuarkusTest
@TestProfile(Secured.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class SecuredApiTest {
  @TestHTTPResource("/")
  URI base;

  @jakarta.inject.Inject VerifiedTokens verified;

  static String token(String user) throws Exception {
    KeycloakServer keycloak = KeycloakResource.server();
    return switch (user) {
      case "adapter" -> keycloak.clientToken("workflow-adapter", "workflow-adapter-secret");
      case "service" -> keycloak.clientToken("workflow-api", "workflow-api-secret");
      default -> keycloak.userToken(user, user + "-password");
    };
  }

  static RequestSpecification as(String user) throws Exception {
    return given().contentType("application/json").auth().oauth2(token(user));
  }

  private String workflow(String engine) throws Exception {
    return as("dana")
        .body(Api.workflowBody(Api.unique("wf"), engine))
        .post("/v1/workflows")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private String run(String user, String workflowId, Map<String, String> labels, String project)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workflow", Map.of("id", workflowId));
    body.put("labels", labels);
    RequestSpecification request = as(user).body(body);
    if (project != null) {
      request.header("Kaapana-Project", project);
    }
    return request.post("/v1/workflow-runs").then().statusCode(201).extract().path("id");
  }

  @Test
  void theCallerEndpointSaysWhoTheServiceTakesEachCallerToBe() throws Exception {
    as("alice")
        .get("/v1/caller")
        .then()
        .statusCode(200)
        .body("actor", equalTo("alice"))
        .body("roles", org.hamcrest.Matchers.contains("user"))
        .body("projects", org.hamcrest.Matchers.contains("project-a"));
    as("dana")
        .get("/v1/caller")
        .then()
        .statusCode(200)
        .body("roles", org.hamcrest.Matchers.contains("user", "workflow-developer"))
        .body("projects", org.hamcrest.Matchers.contains("project-a", "project-b"));
    as("root")
        .get("/v1/caller")
        .then()
        .statusCode(200)
        .body("roles", org.hamcrest.Matchers.contains("admin"))
        .body("projects", org.hamcrest.Matchers.nullValue());
    given().get("/v1/caller").then().statusCode(401);
  }

  @Test
  void withoutATokenEveryApiCallIs401AndHealthStaysOpen() {
    given()
        .contentType("application/json")
        .body(Map.of("events_before", "2000-01-01T00:00:00Z"))
        .post("/v1/admin/purge")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer")
        .contentType("application/problem+json")
        .body("code", equalTo("unauthorized"));
    given().get("/v1/workflow-runs").then().statusCode(401);
    given().get("/q/health/ready").then().statusCode(200);
    given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
  }

  @Test
  void aRefusalIsOneOperationsLogLineWithTheCallersSubject() throws Exception {
    String path = "/v1/admin/workflow-runs/" + java.util.UUID.randomUUID();
    as("alice").body(Map.of("reason", "x")).patch(path).then().statusCode(403);
    String subject = KeycloakServer.claims(token("alice")).path("sub").asText();
    java.nio.file.Path log = java.nio.file.Path.of("target", "quarkus-test.log");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                java.nio.file.Files.readAllLines(log).stream()
                    .anyMatch(
                        line ->
                            line.contains("request.denied status=403 method=PATCH path=" + path)
                                && line.contains("caller=" + subject)
                                && line.contains("reason=\"needs [admin]\"")));
  }

  @Test
  void metricsAskedToBeAuthenticatedNeedAToken() throws Exception {
    // this profile sets KAAPANA_AUTH_METRICS=authenticated
    given().get("/q/metrics").then().statusCode(401);
    as("alice").get("/q/metrics").then().statusCode(200);
  }

  @Test
  void aTokenThatIsNotValidHereIs401() throws Exception {
    String alice = token("alice");
    String[] parts = alice.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    given()
        .auth()
        .oauth2(tampered)
        .get("/v1/workflow-runs")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("invalid_token"))
        .body("code", equalTo("unauthorized"));
    given().auth().oauth2("not-a-jwt").get("/v1/workflow-runs").then().statusCode(401);
  }

  @Test
  void aVerifiedTokenIsRememberedUntilItExpiresAndATamperedOneNever() throws Exception {
    String bob = token("bob");
    assertThat(verified.known("Bearer " + bob)).isNull();
    given().auth().oauth2(bob).get("/v1/workflows").then().statusCode(200);
    assertThat(verified.known("Bearer " + bob)).as("remembered after verification").isNotNull();
    given().auth().oauth2(bob).get("/v1/workflow-runs").then().statusCode(200);

    String[] parts = bob.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    given().auth().oauth2(tampered).get("/v1/workflows").then().statusCode(401);
    assertThat(verified.known("Bearer " + tampered)).isNull();
  }

  @Test
  void aWrongRoleIs403AndNamesTheRoleNeeded() throws Exception {
    as("alice")
        .body(Map.of("events_before", "2000-01-01T00:00:00Z", "dry_run", true))
        .post("/v1/admin/purge")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("code", equalTo("forbidden"))
        .body("required_roles", equalTo(List.of("admin")))
        .body("detail", equalTo("this needs the role 'admin'"));
    as("alice")
        .body(Api.workflowBody(Api.unique("wf"), "local"))
        .post("/v1/workflows")
        .then()
        .statusCode(403)
        .body("required_roles", equalTo(List.of("workflow-developer", "admin")));
    // an adapter's token opens the adapter API, not the admin or the user API
    as("adapter").get("/v1/admin/audit").then().statusCode(403);
    as("adapter").get("/v1/workflow-runs").then().statusCode(403);
    as("adapter")
        .body(Map.of("workflow_engine", "sec-eng", "label_selector", "", "capabilities", List.of()))
        .put("/v1/adapters/" + Api.unique("adapter"))
        .then()
        .statusCode(200);
  }

  @Test
  void aUserSeesAndActsOnlyOnRunsOfTheirProjects() throws Exception {
    String experiment = Api.unique("exp");
    String workflowId = workflow("sec-" + experiment);
    Map<String, String> labels = Map.of("kaapana.experiment", experiment);
    String runA = run("alice", workflowId, labels, null);
    String runB = run("bob", workflowId, labels, null);

    as("alice")
        .get("/v1/workflow-runs/" + runA)
        .then()
        .statusCode(200)
        .body("labels.'kaapana.io/project'", equalTo("project-a"));
    for (String path :
        List.of(
            "/v1/workflow-runs/" + runB,
            "/v1/workflow-runs/" + runB + "/task-runs",
            "/v1/workflow-runs/" + runB + "/events")) {
      as("alice").get(path).then().statusCode(404).body("code", equalTo("not-found"));
    }
    as("alice")
        .body(Map.of("type", "CANCEL"))
        .post("/v1/workflow-runs/" + runB + "/events")
        .then()
        .statusCode(404);
    String selector = "kaapana.experiment=" + experiment;
    as("alice")
        .queryParam("label_selector", selector)
        .get("/v1/workflow-runs")
        .then()
        .statusCode(200)
        .body("items.id", equalTo(List.of(runA)));
    as("alice")
        .queryParam("label_selector", selector + ",kaapana.io/project=project-b")
        .get("/v1/workflow-runs")
        .then()
        .statusCode(200)
        .body("items", equalTo(List.of()));
    as("bob")
        .queryParam("label_selector", selector)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body("items.workflow_run_id", hasItem(runB));
    as("alice")
        .queryParam("label_selector", selector)
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body("items.workflow_run_id", hasItem(runA))
        .body("items.workflow_run_id", not(hasItem(runB)));

    // a bulk CANCEL over both projects' runs cancels alice's only
    as("alice")
        .body(Map.of("label_selector", "kaapana.experiment=" + experiment, "type", "CANCEL"))
        .post("/v1/bulk/workflow-run-events")
        .then()
        .statusCode(200)
        .body("matched", equalTo(1));
    as("bob").get("/v1/workflow-runs/" + runB).then().body("lifecycle_status", equalTo("CREATED"));
    as("root")
        .queryParam("label_selector", selector)
        .get("/v1/workflow-runs")
        .then()
        .body("items.size()", equalTo(2));
  }

  @Test
  void anIdempotencyKeyIsItsCallersOwn() throws Exception {
    String workflowId = workflow(Api.unique("sec"));
    String key = Api.unique("key");
    Map<String, Object> body = Map.of("workflow", Map.of("id", workflowId));
    String alices =
        as("alice")
            .header("Idempotency-Key", key)
            .body(body)
            .post("/v1/workflow-runs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as("alice")
        .header("Idempotency-Key", key)
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(200)
        .body("id", equalTo(alices));
    // bob's request with the same key is his own, in his project
    as("bob")
        .header("Idempotency-Key", key)
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(201)
        .body("id", not(equalTo(alices)))
        .body("labels.'kaapana.io/project'", equalTo("project-b"));
  }

  @Test
  void theEventStreamCarriesNoneOfAnotherProjectsRuns() throws Exception {
    String workflowId = workflow(Api.unique("sec"));
    try (SseClient stream =
        SseClient.open(
            base,
            "/v1/events?object_type=workflow_run",
            "Authorization: Bearer " + token("alice"))) {
      assertThat(stream.readHead()).isEqualTo(200);
      stream.awaitOpen();
      String runB = run("bob", workflowId, Map.of(), null);
      String runA = run("alice", workflowId, Map.of(), null);
      String received = stream.readUntil(runA);
      assertThat(received).doesNotContain(runB);
    }
  }

  @Test
  void theProjectOfANewRunMustBeOneOfTheCallers() throws Exception {
    String workflowId = workflow(Api.unique("sec"));
    Map<String, Object> body = Map.of("workflow", Map.of("id", workflowId));
    as("alice")
        .header("Kaapana-Project", "project-b")
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(403)
        .body("code", equalTo("forbidden"));
    // dana has two projects: she names one, in our header or in Kaapana's JSON header
    as("dana")
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(400)
        .body("detail", containsString("project-a, project-b"));
    String runB = run("dana", workflowId, Map.of(), "project-b");
    as("bob").get("/v1/workflow-runs/" + runB).then().statusCode(200);
    for (String broken : List.of("%7B%zz", "{\"id\": 7}", "{not json", "a b")) {
      as("dana")
          .header("Project", broken)
          .body(body)
          .post("/v1/workflow-runs")
          .then()
          .statusCode(400)
          .body("code", equalTo("malformed-request"));
    }
    as("dana")
        .header("Project", "%7B%22name%22%3A%22project-b%22%7D")
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(201)
        .body("labels.'kaapana.io/project'", equalTo("project-b"));
    as("dana")
        .header("Project", "{\"name\": \"project-a\", \"id\": \"7\"}")
        .body(body)
        .post("/v1/workflow-runs")
        .then()
        .statusCode(201)
        .body("labels.'kaapana.io/project'", equalTo("project-a"));
  }

  @Test
  void theAuditNamesTheTokensUserAndIgnoresAForgedHeader() throws Exception {
    String workflowId = workflow(Api.unique("sec"));
    String runId = run("alice", workflowId, Map.of(), null);
    as("root")
        .header("X-Forwarded-User", "mallory")
        .body(Map.of("status_message", "checked", "reason", "INC-7"))
        .patch("/v1/admin/workflow-runs/" + runId)
        .then()
        .statusCode(200);
    String rootSubject = KeycloakServer.claims(token("root")).path("sub").asText();
    String entry = "items.find { it.object_id == '" + runId + "' }";
    as("root")
        .get("/v1/admin/audit?limit=500")
        .then()
        .body(entry + ".actor", equalTo("root"))
        .body(entry + ".actor_subject", equalTo(rootSubject))
        .body(entry + ".actor_client_id", equalTo("workflow-cli"));
  }

  @Test
  void anAdaptersRegistrationIsAuditedWithItsClient() throws Exception {
    String adapterId = Api.unique("audited");
    as("adapter")
        .body(Map.of("workflow_engine", "sec-eng", "label_selector", "", "capabilities", List.of()))
        .put("/v1/adapters/" + adapterId)
        .then()
        .statusCode(200);
    String entry = "items.find { it.object_id == '" + adapterId + "' }";
    as("root")
        .get("/v1/admin/audit?limit=500")
        .then()
        .body(entry + ".action", equalTo("adapter.register"))
        .body(entry + ".actor_client_id", equalTo("workflow-adapter"))
        .body(entry + ".after.workflow_engine", equalTo("sec-eng"));
  }

  @Test
  void anAdapterIdIsItsClientsAndAnAdapterSeesOnlyTheRunsItsAdaptersHold() throws Exception {
    String engine = Api.unique("own-eng");
    String adapterId = Api.unique("owned");
    Map<String, Object> registration =
        Map.of("workflow_engine", engine, "label_selector", "", "capabilities", List.of());
    as("adapter").body(registration).put("/v1/adapters/" + adapterId).then().statusCode(200);
    // another caller cannot take it over, use it, or remove it without the admin role
    as("root")
        .body(registration)
        .put("/v1/adapters/" + adapterId)
        .then()
        .statusCode(409)
        .body("code", equalTo("adapter-id-taken"));

    String workflowId = workflow(engine);
    String held = run("alice", workflowId, Map.of(), null);
    List<String> claimed =
        as("adapter")
            .body(Map.of("limit", 10))
            .post("/v1/adapters/" + adapterId + "/claims")
            .then()
            .statusCode(200)
            .extract()
            .path("runs.id");
    assertThat(claimed).containsExactly(held);
    String notHeld = run("alice", workflow(Api.unique("other-eng")), Map.of(), null);
    as("adapter").get("/v1/workflow-runs/" + held + "/task-runs").then().statusCode(200);
    as("adapter").get("/v1/workflow-runs/" + notHeld + "/task-runs").then().statusCode(404);

    as("root").delete("/v1/adapters/" + adapterId).then().statusCode(204);
    as("root").body(registration).put("/v1/adapters/" + adapterId).then().statusCode(200);
    as("adapter")
        .body(Map.of("limit", 1))
        .post("/v1/adapters/" + adapterId + "/claims")
        .then()
        .statusCode(409);
  }
}
