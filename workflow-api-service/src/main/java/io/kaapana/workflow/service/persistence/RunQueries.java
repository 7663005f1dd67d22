package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.WorkflowRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Read side of runs and task runs: one query per listing, never one per row. */
@ApplicationScoped
public class RunQueries {
  public record Filter(
      UUID workflowId,
      String workflowTitle,
      String workflowEngine,
      Set<RunState> states,
      LabelSelector selector,
      String adapterId,
      Instant createdAfter,
      Instant createdBefore) {}

  public static final List<String> ORDER_BY = List.of("created_at", "updated_at");

  private static final String SELECT_RUN = "SELECT " + Rows.RUN_COLUMNS + " FROM workflow_runs r";
  private static final String SELECT_TASK =
      "SELECT " + Rows.TASK_RUN_COLUMNS + ", t.created_at FROM task_runs t";

  private final Jdbc jdbc;
  private final Rows rows;

  public RunQueries(Jdbc jdbc, Rows rows) {
    this.jdbc = jdbc;
    this.rows = rows;
  }

  public Optional<WorkflowRun> find(UUID id) {
    return jdbc.query(SELECT_RUN + " WHERE r.id = ?", List.of(id), rows::run).stream().findFirst();
  }

  public Page<WorkflowRun> list(Filter f, PageRequest page) {
    KeysetQuery q = new KeysetQuery(SELECT_RUN, "r");
    if (f.workflowId() != null) {
      q.and("r.workflow_id = ?", f.workflowId());
    }
    if (f.workflowTitle() != null) {
      q.and("r.workflow_title = ?", f.workflowTitle());
    }
    if (f.workflowEngine() != null) {
      q.and("r.workflow_engine = ?", f.workflowEngine());
    }
    if (f.states() != null && !f.states().isEmpty()) {
      q.and(
          "r.lifecycle_status = ANY (?)",
          (Object) f.states().stream().map(Enum::name).toArray(String[]::new));
    }
    if (f.adapterId() != null) {
      q.and("r.adapter_id = ?", f.adapterId());
    }
    if (f.createdAfter() != null) {
      q.and("r.created_at > ?", f.createdAfter());
    }
    if (f.createdBefore() != null) {
      q.and("r.created_at < ?", f.createdBefore());
    }
    SelectorSql.append(f.selector(), "r.labels", q.where(), q.params());
    return q.page(
        jdbc,
        page,
        rows::run,
        r ->
            page.orderBy().equals("updated_at")
                ? r.updatedAt().toString()
                : r.createdAt().toString(),
        WorkflowRun::id,
        false,
        "workflow_runs r");
  }

  public Page<TaskRun> taskRuns(
      UUID runId, String taskTitle, Set<TaskRunState> states, PageRequest page) {
    KeysetQuery q = new KeysetQuery(SELECT_TASK, "t");
    q.and("t.workflow_run_id = ?", runId);
    if (taskTitle != null) {
      q.and("t.task_title = ?", taskTitle);
    }
    if (states != null && !states.isEmpty()) {
      q.and(
          "t.lifecycle_status = ANY (?)",
          (Object) states.stream().map(Enum::name).toArray(String[]::new));
    }
    return q.page(
            jdbc,
            page,
            this::taskRunWithCreated,
            t ->
                page.orderBy().equals("updated_at")
                    ? t.updatedAt().toString()
                    : t.createdAt().toString(),
            t -> t.taskRun().id(),
            false,
            "task_runs t")
        .map(TaskRunRow::taskRun);
  }

  public Optional<TaskRun> findTaskRun(UUID runId, UUID taskRunId) {
    return jdbc
        .query(
            SELECT_TASK + " WHERE t.workflow_run_id = ? AND t.id = ?",
            List.of(runId, taskRunId),
            rows::taskRun)
        .stream()
        .findFirst();
  }

  /** A task run with its creation time, which is the default sort key but not part of the API. */
  private record TaskRunRow(TaskRun taskRun, Instant createdAt) {
    Instant updatedAt() {
      return taskRun.updatedAt();
    }
  }

  private TaskRunRow taskRunWithCreated(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new TaskRunRow(rows.taskRun(rs), Jdbc.instant(rs, "created_at"));
  }
}
