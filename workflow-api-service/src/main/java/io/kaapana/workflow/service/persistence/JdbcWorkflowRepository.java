package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class JdbcWorkflowRepository implements WorkflowRepository {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Jdbc jdbc;
  private final Rows rows;

  public JdbcWorkflowRepository(Jdbc jdbc, Rows rows) {
    this.jdbc = jdbc;
    this.rows = rows;
  }

  @Override
  public Optional<Workflow> find(UUID id) {
    return one("SELECT " + Rows.WORKFLOW_COLUMNS + " FROM workflows w WHERE w.id = ?", id);
  }

  @Override
  public Optional<Workflow> findForUpdate(UUID id) {
    return one(
        "SELECT " + Rows.WORKFLOW_COLUMNS + " FROM workflows w WHERE w.id = ? FOR UPDATE", id);
  }

  @Override
  public Optional<Workflow> findActiveByTitle(String title) {
    return one(
        "SELECT "
            + Rows.WORKFLOW_COLUMNS
            + " FROM workflows w WHERE w.title = ? AND NOT w.archived",
        title);
  }

  private Optional<Workflow> one(String sql, Object param) {
    return jdbc.query(sql, List.of(param), rows::workflow).stream().findFirst();
  }

  @Override
  public Optional<WorkflowRevision> findRevision(UUID workflowId, int increment) {
    return jdbc
        .query(
            "SELECT "
                + Rows.REVISION_COLUMNS
                + " FROM workflow_revisions rev WHERE rev.workflow_id = ? AND rev.increment = ?",
            List.of(workflowId, increment),
            rows::revision)
        .stream()
        .findFirst();
  }

  @Override
  public boolean insert(Workflow w) {
    // ON CONFLICT waits for a concurrent insert of the same title and then skips this one.
    return jdbc.update(
            "INSERT INTO workflows (id, title, workflow_engine, description, archived,"
                + " current_increment, labels, created_at, updated_at, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, '{}'::jsonb, ?, ?, ?)"
                + " ON CONFLICT (title) WHERE NOT archived DO NOTHING",
            Arrays.asList(
                w.id(),
                w.title(),
                w.workflowEngine(),
                w.description(),
                w.archived(),
                w.currentIncrement(),
                w.createdAt(),
                w.updatedAt(),
                w.version()))
        == 1;
  }

  @Override
  public void update(Workflow w) {
    try {
      jdbc.update(
          "UPDATE workflows SET title = ?, description = ?, archived = ?, current_increment = ?,"
              + " labels = (SELECT labels FROM workflow_revisions WHERE workflow_id = ? AND increment = ?),"
              + " updated_at = ?, version = ? WHERE id = ?",
          Arrays.asList(
              w.title(),
              w.description(),
              w.archived(),
              w.currentIncrement(),
              w.id(),
              w.currentIncrement(),
              w.updatedAt(),
              w.version(),
              w.id()));
    } catch (Jdbc.DatabaseException e) {
      throw titleTakenOr(e, w.title());
    }
  }

  private static RuntimeException titleTakenOr(Jdbc.DatabaseException e, String title) {
    if (UNIQUE_VIOLATION.equals(e.sqlState())) {
      // Lost a race with a concurrent create of the same title.
      return new WorkflowApiException(
          ErrorCode.TITLE_TAKEN, "an active workflow titled '" + title + "' exists already");
    }
    return e;
  }

  @Override
  public void insertRevision(WorkflowRevision r) {
    jdbc.update(
        "INSERT INTO workflow_revisions (workflow_id, increment, definition, parameters_schema,"
            + " labels, spec_hash, created_at, validation_status, validation_messages,"
            + " validated_at, validated_by, tasks, engine_ref)"
            + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?)",
        Arrays.asList(
            r.workflowId(),
            r.increment(),
            r.definition(),
            new Jdbc.Json(r.parametersSchema()),
            new Jdbc.Json(r.labels().asMap()),
            r.specHash(),
            r.createdAt(),
            r.validation().status(),
            new Jdbc.Json(r.validation().messages()),
            r.validation().validatedAt(),
            r.validation().adapterId(),
            new Jdbc.Json(StoredJson.StoredTask.of(r.tasks())),
            r.engineRef()));
    // Keep the workflow's selector copy in step for the first revision.
    jdbc.update(
        "UPDATE workflows SET labels = ?::jsonb WHERE id = ? AND current_increment <= ?",
        Arrays.asList(new Jdbc.Json(r.labels().asMap()), r.workflowId(), r.increment()));
  }

  @Override
  public void updateValidation(WorkflowRevision r) {
    jdbc.update(
        "UPDATE workflow_revisions SET validation_status = ?, validation_messages = ?::jsonb,"
            + " validated_at = ?, validated_by = ?, tasks = ?::jsonb, engine_ref = ?,"
            + " validation_claimed_by = NULL, validation_claimed_until = NULL"
            + " WHERE workflow_id = ? AND increment = ?",
        Arrays.asList(
            r.validation().status(),
            new Jdbc.Json(r.validation().messages()),
            r.validation().validatedAt(),
            r.validation().adapterId(),
            new Jdbc.Json(StoredJson.StoredTask.of(r.tasks())),
            r.engineRef(),
            r.workflowId(),
            r.increment()));
  }

  @Override
  public List<WorkflowRevision> claimValidations(
      String workflowEngine,
      LabelSelector selector,
      String adapterId,
      Instant now,
      Instant until,
      int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + Rows.REVISION_COLUMNS
                + " FROM workflow_revisions rev JOIN workflows w ON w.id = rev.workflow_id"
                + " WHERE rev.validation_status = 'PENDING' AND w.workflow_engine = ?"
                + " AND NOT w.archived"
                + " AND (rev.validation_claimed_until IS NULL OR rev.validation_claimed_until < ?)");
    List<Object> params = new ArrayList<>(List.of(workflowEngine, now));
    SelectorSql.append(selector, "rev.labels", sql, params);
    sql.append(" ORDER BY rev.created_at LIMIT ? FOR UPDATE OF rev SKIP LOCKED");
    params.add(limit);
    List<WorkflowRevision> revisions = jdbc.query(sql.toString(), params, rows::revision);
    jdbc.batch(
        "UPDATE workflow_revisions SET validation_claimed_by = ?, validation_claimed_until = ?"
            + " WHERE workflow_id = ? AND increment = ?",
        revisions.stream()
            .map(rev -> List.<Object>of(adapterId, until, rev.workflowId(), rev.increment()))
            .toList());
    return revisions;
  }
}
