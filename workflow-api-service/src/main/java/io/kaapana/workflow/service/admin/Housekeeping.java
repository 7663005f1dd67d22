package io.kaapana.workflow.service.admin;

import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.service.ops.OperationsLog;
import io.kaapana.workflow.service.persistence.Jdbc;
import io.kaapana.workflow.service.persistence.StateSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes archived workflows and old settled runs with their task runs and events. Every delete is
 * guarded in SQL by the settled states, so a run that is not settled is never deleted, even if it
 * changed state after the caller looked.
 */
@ApplicationScoped
public class Housekeeping {
  private static final String SETTLED = StateSql.SETTLED_RUN_STATES;
  private static final String ACTIVE = StateSql.ACTIVE_RUN_STATES;

  /** What a purge deleted (or, for a dry run, would delete). */
  public record PurgeCounts(
      long workflows,
      long workflowRevisions,
      long workflowRuns,
      long taskRuns,
      long events,
      boolean dryRun) {}

  /** One entry of the audit log, {@code before} and {@code after} as stored. */
  public record AuditRecord(
      long id,
      String actor,
      String actorSubject,
      String actorClientId,
      String action,
      String objectType,
      String objectId,
      Object before,
      Object after,
      String reason,
      Instant createdAt) {}

  public record PurgeCommand(
      boolean archivedWorkflows,
      Set<RunState> runStates,
      Instant runsFinishedBefore,
      Instant eventsBefore) {}

  private static final com.fasterxml.jackson.core.type.TypeReference<Object> ANY =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private final Jdbc jdbc;
  private final AuditLog audit;
  private final EventStore events;
  private final OperationsLog operations;

  public Housekeeping(Jdbc jdbc, AuditLog audit, EventStore events, OperationsLog operations) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.events = events;
    this.operations = operations;
  }

  /** Runs in the caller's transaction; for a dry run the caller rolls it back. */
  public PurgeCounts purge(PurgeCommand command, boolean dryRun, String actor) {
    long runs = 0;
    long taskRuns = 0;
    long eventCount = 0;
    long workflows = 0;
    long revisions = 0;
    if (command.runsFinishedBefore() != null) {
      Set<RunState> states =
          command.runStates().isEmpty()
              ? EnumSet.of(RunState.COMPLETED, RunState.ERROR, RunState.CANCELED)
              : command.runStates();
      List<String> refused = states.stream().filter(RunState::isActive).map(Enum::name).toList();
      if (!refused.isEmpty()) {
        throw WorkflowApiException.invalid(
            ErrorCode.VALIDATION_FAILED,
            List.of(
                new FieldError(
                    FieldPath.of("runs").field("lifecycleStatus"),
                    "only settled runs can be purged; " + refused + " are active states")));
      }
      long[] counts =
          deleteRuns(
              "lifecycle_status = ANY (?) AND lifecycle_status IN "
                  + SETTLED
                  + " AND finished_at < ?",
              List.of(
                  states.stream().map(Enum::name).toArray(String[]::new),
                  command.runsFinishedBefore()));
      runs += counts[0];
      taskRuns += counts[1];
      eventCount += counts[2];
    }
    if (command.archivedWorkflows()) {
      List<UUID> ids =
          jdbc.query(
              "SELECT w.id FROM workflows w WHERE w.archived AND NOT EXISTS (SELECT 1 FROM workflow_runs r"
                  + " WHERE r.workflow_id = w.id AND r.lifecycle_status IN "
                  + ACTIVE
                  + ") FOR UPDATE",
              List.of(),
              rs -> Jdbc.uuid(rs, "id"));
      for (UUID id : ids) {
        long[] counts = deleteWorkflow(id);
        runs += counts[0];
        taskRuns += counts[1];
        eventCount += counts[2];
        revisions += counts[3];
        workflows++;
      }
    }
    if (command.eventsBefore() != null) {
      eventCount +=
          jdbc.update("DELETE FROM events WHERE created_at < ?", List.of(command.eventsBefore()));
    }
    PurgeCounts result = new PurgeCounts(workflows, revisions, runs, taskRuns, eventCount, dryRun);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("archived_workflows", command.archivedWorkflows());
    request.put("run_states", command.runStates());
    request.put("runs_finished_before", command.runsFinishedBefore());
    request.put("events_before", command.eventsBefore());
    if (!dryRun) {
      Map<String, Object> deleted = new LinkedHashMap<>();
      deleted.put("workflows", workflows);
      deleted.put("workflow_revisions", revisions);
      deleted.put("workflow_runs", runs);
      deleted.put("task_runs", taskRuns);
      deleted.put("events", eventCount);
      deleted.put("dry_run", false);
      audit.record(actor, "admin.purge", "database", "-", request, deleted, null);
      operations.info(
          "admin.purge",
          OperationsLog.fields(
              "actor",
              actor,
              "workflows",
              workflows,
              "revisions",
              revisions,
              "runs",
              runs,
              "task_runs",
              taskRuns,
              "events",
              eventCount));
    }
    return result;
  }

  /** Deletes an archived workflow for good, refusing while any of its runs is active. */
  public void deleteArchivedWorkflow(UUID id, String actor) {
    List<Boolean> archived =
        jdbc.query(
            "SELECT archived FROM workflows WHERE id = ? FOR UPDATE",
            List.of(id),
            rs -> rs.getBoolean(1));
    if (archived.isEmpty()) {
      throw WorkflowApiException.notFound("workflow " + id);
    }
    if (!archived.get(0)) {
      throw new WorkflowApiException(
          ErrorCode.WORKFLOW_NOT_ARCHIVED,
          "workflow " + id + " is not archived; DELETE /v1/workflows/" + id + " first");
    }
    long active =
        jdbc.query(
                "SELECT count(*) FROM workflow_runs WHERE workflow_id = ? AND lifecycle_status IN "
                    + ACTIVE,
                List.of(id),
                rs -> rs.getLong(1))
            .get(0);
    if (active > 0) {
      throw new WorkflowApiException(
          ErrorCode.WORKFLOW_HAS_ACTIVE_RUNS,
          "workflow "
              + id
              + " still has "
              + active
              + " active runs; cancel them or wait until they settle",
          new ProblemDetails.ActiveRuns(active));
    }
    long[] counts = deleteWorkflow(id);
    Map<String, Object> deleted = new LinkedHashMap<>();
    deleted.put("workflow_runs", counts[0]);
    deleted.put("task_runs", counts[1]);
    deleted.put("events", counts[2]);
    deleted.put("revisions", counts[3]);
    events.append(
        List.of(
            new DomainEvent(
                DomainEvent.WORKFLOW_DELETED,
                DomainEvent.ObjectType.WORKFLOW,
                id.toString(),
                null,
                "archived",
                null,
                new EventData.WorkflowDeleted(counts[0], counts[1], counts[2], counts[3]),
                actor)));
    audit.record(
        actor,
        "admin.delete_workflow",
        "workflow",
        id.toString(),
        Map.of("archived", true),
        deleted,
        null);
  }

  /** Deletes runs (settled only) of one workflow, then its revisions and the workflow. */
  private long[] deleteWorkflow(UUID id) {
    long[] counts = deleteRuns("workflow_id = ? AND lifecycle_status IN " + SETTLED, List.of(id));
    long revisions =
        jdbc.update("DELETE FROM workflow_revisions WHERE workflow_id = ?", List.of(id));
    jdbc.update(
        "DELETE FROM events WHERE object_type = 'workflow' AND object_id = ?",
        List.of(id.toString()));
    jdbc.update("DELETE FROM workflows WHERE id = ?", List.of(id));
    return new long[] {counts[0], counts[1], counts[2], revisions};
  }

  /** Deletes matching runs with their task runs and events; returns {runs, task runs, events}. */
  private long[] deleteRuns(String condition, List<Object> params) {
    List<Object> all = new ArrayList<>(params);
    List<long[]> counts =
        jdbc.query(
            "WITH doomed AS (SELECT id FROM workflow_runs WHERE "
                + condition
                + " FOR UPDATE),"
                + " e AS (DELETE FROM events WHERE workflow_run_id IN (SELECT id FROM doomed) RETURNING 1),"
                + " t AS (DELETE FROM task_runs WHERE workflow_run_id IN (SELECT id FROM doomed) RETURNING 1),"
                + " r AS (DELETE FROM workflow_runs WHERE id IN (SELECT id FROM doomed) RETURNING 1)"
                + " SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM t), (SELECT count(*) FROM e)",
            all,
            rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
    return counts.get(0);
  }

  /** The audit log, newest first, keyset-paged by id. */
  public List<AuditRecord> audit(long beforeId, int limit) {
    return jdbc.query(
        "SELECT id, actor, actor_subject, actor_client_id, action, object_type, object_id, before,"
            + " after, reason, created_at FROM audit_log"
            + " WHERE id < ? ORDER BY id DESC LIMIT ?",
        Arrays.asList(beforeId, limit),
        rs ->
            new AuditRecord(
                rs.getLong("id"),
                rs.getString("actor"),
                rs.getString("actor_subject"),
                rs.getString("actor_client_id"),
                rs.getString("action"),
                rs.getString("object_type"),
                rs.getString("object_id"),
                jdbc.fromJson(rs.getString("before"), ANY),
                jdbc.fromJson(rs.getString("after"), ANY),
                rs.getString("reason"),
                Jdbc.instant(rs, "created_at")));
  }
}
