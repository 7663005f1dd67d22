package io.kaapana.workflow.service;

import static io.kaapana.workflow.service.Api.json;
import static io.kaapana.workflow.service.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JSON in the database outlives a release: rows written by the first release read back, and a
 * row written by a newer release (a field or a value this one does not know) reads without failing.
 * The stored names do not follow the API's JSON settings or the domain's field names.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class StoredJsonTest {
  @Inject AgroalDataSource dataSource;
  @Inject RunRepository runs;
  @Inject WorkflowRepository workflows;

  private final ObjectMapper mapper = new ObjectMapper();

  private void sql(String statement, Object... params) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.execute();
    }
  }

  private JsonNode column(String statement, Object param) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(statement)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return mapper.readTree(rs.getString(1));
      }
    }
  }

  private WorkflowRun run(UUID id) {
    return QuarkusTransaction.requiringNew().call(() -> runs.findForUpdate(id).orElseThrow());
  }

  @Test
  void anActionRequestIsStoredUnderItsFirstReleaseNamesAndReadBack() throws Exception {
    String engine = unique("eng");
    UUID runId =
        UUID.fromString(Api.createRunId(Api.createWorkflow(unique("wf"), engine), Map.of()));
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, engine, "", List.of("CANCEL"), 30, null);
    assertThat(Api.claim(adapter, 10, 0)).containsKey(runId.toString());
    Api.event(runId.toString(), Map.of("type", "CANCEL", "force", true, "reason", "tour"))
        .then()
        .statusCode(202); // accepted: the holding adapter carries it out

    JsonNode stored = column("SELECT action_request FROM workflow_runs WHERE id = ?", runId);
    assertThat(stored.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("type", "scope", "force", "task_title", "reason");
    assertThat(stored.get("type").asText()).isEqualTo("CANCEL");
    assertThat(stored.get("force").asBoolean()).isTrue();
  }

  @Test
  void rowsOfTheFirstReleaseAndOfANewerOneAreRead() throws Exception {
    String engine = unique("eng");
    String workflowId = Api.createWorkflow(unique("wf"), engine);
    UUID runId = UUID.fromString(Api.createRunId(workflowId, Map.of()));

    // as the first release wrote them, with a field and a state a newer release might add
    sql(
        "UPDATE workflow_runs SET requested_action = 'RETRY', action_request = ?::jsonb,"
            + " task_run_counts = ?::jsonb WHERE id = ?",
        "{\"type\":\"RETRY\",\"scope\":null,\"force\":false,\"task_title\":\"segment\","
            + "\"reason\":\"weights restored\",\"requested_by\":\"someone\"}",
        "{\"COMPLETED\":2,\"RUNNING\":1,\"PAUSED\":4}",
        runId);
    sql(
        "UPDATE workflow_revisions SET tasks = ?::jsonb WHERE workflow_id = ?",
        "[{\"title\":\"fetch\",\"display_name\":\"Fetch\",\"type\":\"shell\","
            + "\"downstream\":[\"segment\"],\"retries\":3},"
            + "{\"title\":\"segment\",\"display_name\":null,\"type\":null,\"downstream\":[]}]",
        UUID.fromString(workflowId));

    WorkflowRun run = run(runId);
    assertThat(run.actionRequest())
        .isEqualTo(
            new ActionRequest(RequestedAction.RETRY, null, false, "segment", "weights restored"));
    assertThat(run.taskRunCounts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(TaskRunState.COMPLETED, 2, TaskRunState.RUNNING, 1));
    json()
        .get("/v1/workflow-runs/" + runId)
        .then()
        .statusCode(200)
        .body("requested_action", equalTo("RETRY"))
        .body("task_run_counts.COMPLETED", equalTo(2));

    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> workflows.findRevision(UUID.fromString(workflowId), 1).orElseThrow())
                .tasks())
        .containsExactly(
            new TaskDefinition("fetch", "Fetch", "shell", List.of("segment")),
            new TaskDefinition("segment", null, null, List.of()));
    json()
        .get("/v1/workflows/" + workflowId + "/tasks")
        .then()
        .statusCode(200)
        .body("title", containsInAnyOrder("fetch", "segment"));
  }

  @Test
  void anAdapterWithACapabilityThisReleaseDoesNotKnowIsStillListed() throws Exception {
    String adapter = unique("adapter");
    Api.registerAdapter(adapter, unique("eng"), "", List.of("CANCEL"), 30, null);
    sql(
        "UPDATE adapters SET capabilities = ?::jsonb WHERE id = ?",
        "[\"CANCEL\",\"PAUSE\"]",
        adapter);
    json()
        .get("/v1/adapters")
        .then()
        .statusCode(200)
        .body("find { it.id == '" + adapter + "' }.capabilities", containsInAnyOrder("CANCEL"));
  }
}
