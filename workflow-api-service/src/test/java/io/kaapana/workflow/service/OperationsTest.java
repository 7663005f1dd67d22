package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class OperationsTest {

  @Test
  void readinessChecksTheDatabaseAndMigrations() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("database-migrations"))
        .body("checks.find { it.name == 'database-migrations' }.data.pending", equalTo(0));
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void metricsExposeRunsAdaptersAndRequests() {
    json().get("/v1/workflows").then().statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("kaapana_workflow_runs{state=\"CREATED\"}"))
        .body(containsString("kaapana_adapters_active"))
        .body(containsString("http_server_requests_seconds_count"));
  }

  @Test
  void theEventPageFiltersByObjectTypeTypeAndRunLabels() {
    String experiment = unique("exp");
    String workflowId = Api.createWorkflow(unique("wf"), unique("eng"));
    String runId = Api.createRunId(workflowId, Map.of("kaapana.experiment", experiment));
    json()
        .queryParam("object_type", "workflow")
        .queryParam("type", "workflow.created")
        .queryParam("limit", "500")
        .get("/v1/events")
        .then()
        .statusCode(200)
        .body("items.object_id", hasItem(workflowId))
        .body("items.type", everyItem(equalTo("workflow.created")));
    json()
        .queryParam("label_selector", "kaapana.experiment=" + experiment)
        .get("/v1/events")
        .then()
        .body("items.workflow_run_id", everyItem(equalTo(runId)))
        .body("items.type", equalTo(java.util.List.of("workflow_run.created")));
  }
}
