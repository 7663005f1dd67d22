package io.kaapana.workflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document is the published contract. This test fails when the served
 * document drifts from it; regenerate with {@code mvn -pl workflow-api-service test
 * -Dtest=OpenApiDocumentTest -Dopenapi.update=true} and review the diff.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiDocumentTest {
  private static final Path COMMITTED = Path.of("..", "docs", "openapi", "openapi.json");
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonNode served() throws Exception {
    return ServedOpenApi.document();
  }

  @Test
  void servedDocumentMatchesTheCommittedOne() throws Exception {
    JsonNode served = served();
    if (Boolean.getBoolean("openapi.update")) {
      Files.createDirectories(COMMITTED.getParent());
      Files.writeString(COMMITTED, mapper.writeValueAsString(served) + "\n");
    }
    assertThat(COMMITTED).as("committed OpenAPI document").exists();
    JsonNode committed = mapper.readTree(Files.readString(COMMITTED));
    assertThat(served)
        .as(
            "the served /q/openapi differs from docs/openapi/openapi.json; regenerate it (see this test's Javadoc)")
        .isEqualTo(committed);
  }

  @Test
  void everyRequestBodyHasAnExampleAndEveryPathOfTheContractIsThere() throws Exception {
    JsonNode doc = served();
    List<String> missing = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        paths.hasNext(); ) {
      var path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        var op = ops.next();
        JsonNode body = op.getValue().get("requestBody");
        if (body != null && !hasExample(doc, body)) {
          missing.add(op.getKey().toUpperCase() + " " + path.getKey());
        }
      }
    }
    assertThat(missing).as("operations whose request body has no example").isEmpty();
    assertThat(doc.get("paths").fieldNames())
        .toIterable()
        .contains(
            "/v1/workflows",
            "/v1/workflows/{id}",
            "/v1/workflows/{id}/revisions",
            "/v1/workflows/{id}/revisions/{increment}",
            "/v1/workflows/{id}/tasks",
            "/v1/workflow-runs",
            "/v1/workflow-runs/{id}",
            "/v1/workflow-runs/{id}/events",
            "/v1/bulk/workflow-run-events",
            "/v1/workflow-runs/{id}/task-runs",
            "/v1/workflow-runs/{id}/task-runs/{taskRunId}",
            "/v1/workflow-runs/{id}/task-runs/{taskRunId}/events",
            "/v1/workflow-runs/{id}/task-runs/{taskRunId}/logs",
            "/v1/events",
            "/v1/adapters",
            "/v1/adapters/{adapterId}",
            "/v1/adapters/{adapterId}/claims",
            "/v1/workflow-runs/{id}/status",
            "/v1/workflows/{id}/revisions/{increment}/validation",
            "/v1/admin/purge",
            "/v1/admin/workflows/{id}",
            "/v1/admin/workflow-runs/{id}",
            "/v1/admin/audit");
    assertThat(doc.at("/components/schemas/WorkflowRun/properties").fieldNames())
        .toIterable()
        .contains(
            "id",
            "workflow",
            "workflow_engine",
            "labels",
            "parameters",
            "lifecycle_status",
            "requested_action",
            "status_message",
            "attempt",
            "external_id",
            "adapter_id",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
            "task_run_counts");
  }

  private static boolean hasExample(JsonNode doc, JsonNode body) {
    for (JsonNode media : body.path("content")) {
      if (media.has("example") || media.has("examples")) {
        return true;
      }
      JsonNode schema = media.path("schema");
      if (schema.has("$ref")) {
        schema = doc.at(schema.get("$ref").asText().substring(1));
      }
      if (schema.has("example") || schema.has("examples")) {
        return true;
      }
    }
    return false;
  }
}
