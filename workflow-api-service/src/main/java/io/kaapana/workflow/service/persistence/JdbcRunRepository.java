package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class JdbcRunRepository implements RunRepository {
  private static final String UPDATE_RUN =
      "UPDATE workflow_runs SET labels = ?::jsonb, lifecycle_status = ?, requested_action = ?,"
          + " action_request = ?::jsonb, status_message = ?, attempt = ?, external_id = ?,"
          + " adapter_id = ?, lease_token = ?, awaiting_claim = ?, updated_at = ?, started_at = ?,"
          + " finished_at = ?, task_run_counts = ?::jsonb, version = ? WHERE id = ?";

  private final Jdbc jdbc;
  private final Rows rows;

  public JdbcRunRepository(Jdbc jdbc, Rows rows) {
    this.jdbc = jdbc;
    this.rows = rows;
  }

  @Override
  public Optional<WorkflowRun> findForUpdate(UUID id) {
    return jdbc
        .query(
            "SELECT " + Rows.RUN_COLUMNS + " FROM workflow_runs r WHERE r.id = ? FOR UPDATE",
            List.of(id),
            rows::run)
        .stream()
        .findFirst();
  }

  @Override
  public List<WorkflowRun> findMatchingForUpdate(
      LabelSelector selector, Set<RunState> states, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + Rows.RUN_COLUMNS + " FROM workflow_runs r WHERE true");
    List<Object> params = new ArrayList<>();
    SelectorSql.append(selector, "r.labels", sql, params);
    if (states != null && !states.isEmpty()) {
      sql.append(" AND r.lifecycle_status = ANY (?)");
      params.add(states.stream().map(Enum::name).toArray(String[]::new));
    }
    sql.append(" ORDER BY r.created_at, r.id LIMIT ? FOR UPDATE");
    params.add(limit);
    return jdbc.query(sql.toString(), params, rows::run);
  }

  @Override
  public void insert(WorkflowRun r) {
    jdbc.update(
        "INSERT INTO workflow_runs (id, workflow_id, revision_increment, workflow_title,"
            + " workflow_engine, labels, parameters, lifecycle_status, requested_action,"
            + " action_request, status_message, attempt, external_id, adapter_id, lease_token,"
            + " awaiting_claim, created_at, updated_at, started_at, finished_at, task_run_counts,"
            + " version, trace_parent) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb,"
            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)",
        Arrays.asList(
            r.id(),
            r.workflowId(),
            r.revisionIncrement(),
            r.workflowTitle(),
            r.workflowEngine(),
            new Jdbc.Json(r.labels().asMap()),
            new Jdbc.Json(r.parameters()),
            r.state(),
            r.requestedAction(),
            new Jdbc.Json(StoredJson.StoredActionRequest.of(r.actionRequest())),
            r.statusMessage(),
            r.attempt(),
            r.externalId(),
            r.adapterId(),
            r.leaseToken(),
            r.awaitingClaim(),
            r.createdAt(),
            r.updatedAt(),
            r.startedAt(),
            r.finishedAt(),
            new Jdbc.Json(r.taskRunCounts()),
            r.version(),
            // The creating request's span: the run's trace, which its adapter joins.
            RunTraceParents.ofCurrentSpan()));
  }

  @Override
  public void update(WorkflowRun r) {
    jdbc.update(UPDATE_RUN, updateParams(r));
  }

  @Override
  public void updateAll(Collection<WorkflowRun> runs) {
    jdbc.batch(UPDATE_RUN, runs.stream().map(JdbcRunRepository::updateParams).toList());
  }

  private static List<Object> updateParams(WorkflowRun r) {
    return Arrays.asList(
        new Jdbc.Json(r.labels().asMap()),
        r.state(),
        r.requestedAction(),
        new Jdbc.Json(StoredJson.StoredActionRequest.of(r.actionRequest())),
        r.statusMessage(),
        r.attempt(),
        r.externalId(),
        r.adapterId(),
        r.leaseToken(),
        r.awaitingClaim(),
        r.updatedAt(),
        r.startedAt(),
        r.finishedAt(),
        new Jdbc.Json(r.taskRunCounts()),
        r.version(),
        r.id());
  }

  @Override
  public List<TaskRun> findTaskRuns(UUID runId) {
    return jdbc.query(
        "SELECT " + Rows.TASK_RUN_COLUMNS + " FROM task_runs t WHERE t.workflow_run_id = ?",
        List.of(runId),
        rows::taskRun);
  }

  @Override
  public Optional<TaskRun> findTaskRun(UUID runId, UUID taskRunId) {
    return jdbc
        .query(
            "SELECT "
                + Rows.TASK_RUN_COLUMNS
                + " FROM task_runs t WHERE t.workflow_run_id = ? AND t.id = ?",
            List.of(runId, taskRunId),
            rows::taskRun)
        .stream()
        .findFirst();
  }

  @Override
  public void saveTaskRuns(Collection<TaskRun> taskRuns) {
    jdbc.batch(
        "INSERT INTO task_runs (id, workflow_run_id, task_title, lifecycle_status, attempt,"
            + " external_id, status_message, started_at, finished_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            + " lifecycle_status = EXCLUDED.lifecycle_status, attempt = EXCLUDED.attempt,"
            + " external_id = EXCLUDED.external_id, status_message = EXCLUDED.status_message,"
            + " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
            + " updated_at = EXCLUDED.updated_at",
        taskRuns.stream()
            .map(
                t ->
                    Arrays.<Object>asList(
                        t.id(),
                        t.workflowRunId(),
                        t.taskTitle(),
                        t.state(),
                        t.attempt(),
                        t.externalId(),
                        t.statusMessage(),
                        t.startedAt(),
                        t.finishedAt(),
                        t.updatedAt(),
                        t.updatedAt()))
            .toList());
  }

  @Override
  public List<WorkflowRun> findClaimableForUpdate(
      String workflowEngine, String adapterId, LabelSelector selector, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + Rows.RUN_COLUMNS
                + " FROM workflow_runs r WHERE r.awaiting_claim"
                + " AND r.workflow_engine = ? AND (r.adapter_id IS NULL OR r.adapter_id = ?)");
    List<Object> params = new ArrayList<>(List.of(workflowEngine, adapterId));
    SelectorSql.append(selector, "r.labels", sql, params);
    sql.append(" ORDER BY r.created_at, r.id LIMIT ? FOR UPDATE SKIP LOCKED");
    params.add(limit);
    return jdbc.query(sql.toString(), params, rows::run);
  }

  @Override
  public List<UUID> releaseHeldBy(String adapterId, Collection<UUID> onlyRuns, Instant now) {
    UUID[] only = onlyRuns == null ? null : onlyRuns.toArray(UUID[]::new);
    // the same rule as WorkflowRun.needsHolder and WorkflowRun.release, as one statement
    return jdbc.query(
        "UPDATE workflow_runs SET adapter_id = NULL, lease_token = NULL, awaiting_claim = true,"
            + " updated_at = ?, version = version + 1"
            + " WHERE adapter_id = ? AND (?::uuid[] IS NULL OR id = ANY (?::uuid[]))"
            + " AND (lifecycle_status IN "
            + StateSql.ACTIVE_RUN_STATES
            + " OR requested_action IS NOT NULL) RETURNING id",
        Arrays.asList(now, adapterId, only, only),
        rs -> Jdbc.uuid(rs, "id"));
  }
}
