package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind Kaapana's proxy the API lives under /workflow-api; links say so. */
@QuarkusTest
@TestProfile(PublicPathTest.UnderWorkflowApi.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PublicPathTest {
  public static class UnderWorkflowApi implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("kaapana.http.public-path", "/workflow-api/");
    }
  }

  @Test
  void locationHeadersCarryThePublicPath() {
    String workflowId = Api.createWorkflow(unique("wf"), "local");
    json()
        .body(Map.of("workflow", Map.of("id", workflowId)))
        .post("/v1/workflow-runs")
        .then()
        .statusCode(201)
        .header(
            "Location", matchesPattern("http://[^/]+/workflow-api/v1/workflow-runs/[0-9a-f-]{36}"));
    json()
        .body(Api.workflowBody(unique("wf"), "local"))
        .post("/v1/workflows")
        .then()
        .statusCode(201)
        .header("Location", matchesPattern("http://[^/]+/workflow-api/v1/workflows/[0-9a-f-]{36}"));
  }
}
