package io.kaapana.workflow.service.persistence;

import static io.kaapana.workflow.service.persistence.Jdbc.instant;
import static io.kaapana.workflow.service.persistence.Jdbc.uuid;

import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.Validation;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.domain.WorkflowRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps result rows to domain objects; one place for every table's columns. */
@ApplicationScoped
public class Rows {
  public static final String WORKFLOW_COLUMNS =
      "w.id, w.title, w.workflow_engine, w.description, w.archived, w.current_increment,"
          + " w.created_at, w.updated_at, w.version";
  public static final String REVISION_COLUMNS =
      "rev.workflow_id, rev.increment, rev.definition, rev.parameters_schema, rev.labels,"
          + " rev.spec_hash, rev.created_at, rev.validation_status, rev.validation_messages,"
          + " rev.validated_at, rev.validated_by, rev.tasks, rev.engine_ref";
  public static final String RUN_COLUMNS =
      "r.id, r.workflow_id, r.revision_increment, r.workflow_title, r.workflow_engine, r.labels,"
          + " r.parameters, r.lifecycle_status, r.action_request, r.status_message, r.attempt,"
          + " r.external_id, r.adapter_id, r.lease_token, r.awaiting_claim, r.created_at,"
          + " r.updated_at, r.started_at, r.finished_at, r.task_run_counts, r.version";
  public static final String TASK_RUN_COLUMNS =
      "t.id, t.workflow_run_id, t.task_title, t.lifecycle_status, t.attempt, t.external_id,"
          + " t.status_message, t.started_at, t.finished_at, t.updated_at";

  private final Jdbc jdbc;

  public Rows(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Workflow workflow(ResultSet rs) throws SQLException {
    return new Workflow(
        uuid(rs, "id"),
        rs.getString("title"),
        rs.getString("workflow_engine"),
        rs.getString("description"),
        rs.getBoolean("archived"),
        rs.getInt("current_increment"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        rs.getLong("version"));
  }

  public WorkflowRevision revision(ResultSet rs) throws SQLException {
    return new WorkflowRevision(
        uuid(rs, "workflow_id"),
        rs.getInt("increment"),
        rs.getString("definition"),
        jdbc.fromJson(rs.getString("parameters_schema"), Jdbc.OBJECT_MAP),
        Labels.trusted(jdbc.fromJson(rs.getString("labels"), Jdbc.STRING_MAP)),
        rs.getString("spec_hash"),
        instant(rs, "created_at"),
        new Validation(
            ValidationStatus.valueOf(rs.getString("validation_status")),
            jdbc.fromJson(rs.getString("validation_messages"), Jdbc.STRING_LIST),
            instant(rs, "validated_at"),
            rs.getString("validated_by")),
        StoredJson.tasks(rs.getString("tasks")),
        rs.getString("engine_ref"));
  }

  public WorkflowRun run(ResultSet rs) throws SQLException {
    return WorkflowRun.restore()
        .id(uuid(rs, "id"))
        .workflowId(uuid(rs, "workflow_id"))
        .workflowTitle(rs.getString("workflow_title"))
        .revisionIncrement(rs.getInt("revision_increment"))
        .workflowEngine(rs.getString("workflow_engine"))
        .labels(Labels.trusted(jdbc.fromJson(rs.getString("labels"), Jdbc.STRING_MAP)))
        .parameters(jdbc.fromJson(rs.getString("parameters"), Jdbc.OBJECT_MAP))
        .state(RunState.valueOf(rs.getString("lifecycle_status")))
        .actionRequest(StoredJson.actionRequest(rs.getString("action_request")))
        .statusMessage(rs.getString("status_message"))
        .attempt(rs.getInt("attempt"))
        .externalId(rs.getString("external_id"))
        .adapterId(rs.getString("adapter_id"))
        .leaseToken(uuid(rs, "lease_token"))
        .awaitingClaim(rs.getBoolean("awaiting_claim"))
        .createdAt(instant(rs, "created_at"))
        .updatedAt(instant(rs, "updated_at"))
        .startedAt(instant(rs, "started_at"))
        .finishedAt(instant(rs, "finished_at"))
        .taskRunCounts(StoredJson.taskRunCounts(rs.getString("task_run_counts")))
        .version(rs.getLong("version"))
        .build();
  }

  public TaskRun taskRun(ResultSet rs) throws SQLException {
    return new TaskRun(
        uuid(rs, "id"),
        uuid(rs, "workflow_run_id"),
        rs.getString("task_title"),
        TaskRunState.valueOf(rs.getString("lifecycle_status")),
        rs.getInt("attempt"),
        rs.getString("external_id"),
        rs.getString("status_message"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        instant(rs, "updated_at"));
  }
}
