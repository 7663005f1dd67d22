package io.kaapana.workflow.service.rest.dto;

import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.service.admin.Housekeeping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of the admin endpoints. */
public final class AdminDtos {
  private AdminDtos() {}

  @Schema(name = "PurgeRuns")
  public record PurgeRuns(List<RunState> lifecycleStatus, Instant finishedBefore) {}

  @Schema(
      name = "PurgeRequest",
      example =
          "{\"archived_workflows\":true,\"runs\":{\"lifecycle_status\":[\"COMPLETED\",\"CANCELED\"],"
              + "\"finished_before\":\"2026-10-01T00:00:00Z\"},\"events_before\":\"2026-09-01T00:00:00Z\",\"dry_run\":true}")
  public record PurgeRequest(
      Boolean archivedWorkflows, PurgeRuns runs, Instant eventsBefore, Boolean dryRun) {}

  @Schema(name = "PurgeResult")
  public record PurgeResult(
      long workflows,
      long workflowRevisions,
      long workflowRuns,
      long taskRuns,
      long events,
      boolean dryRun) {
    public static PurgeResult of(Housekeeping.PurgeCounts counts) {
      return new PurgeResult(
          counts.workflows(),
          counts.workflowRevisions(),
          counts.workflowRuns(),
          counts.taskRuns(),
          counts.events(),
          counts.dryRun());
    }
  }

  @Schema(
      name = "AdminWorkflowRunPatch",
      example =
          "{\"lifecycle_status\":\"ERROR\",\"status_message\":\"engine lost the run\",\"reason\":\"INC-4711\"}")
  public record RunPatch(
      Map<String, String> labels,
      RunState lifecycleStatus,
      String statusMessage,
      @Schema(required = true) String reason) {}

  @Schema(
      name = "AdminWorkflowPatch",
      example =
          "{\"labels\":{\"kaapana.immutable.project\":\"p-42\"},\"title\":\"total-segmentator\",\"reason\":\"project move\"}")
  public record WorkflowPatch(
      Map<String, String> labels, String title, @Schema(required = true) String reason) {}

  @Schema(name = "AuditEntry")
  public record AuditEntry(
      long id,
      @Schema(description = "Who did it: a user name, else a client, else a token subject")
          String actor,
      @Schema(description = "The token's subject (null for records of a sweep, and older ones)")
          String actorSubject,
      @Schema(description = "The client the token was issued to, if any") String actorClientId,
      String action,
      String objectType,
      String objectId,
      Object before,
      Object after,
      String reason,
      Instant createdAt) {
    public static AuditEntry of(Housekeeping.AuditRecord r) {
      return new AuditEntry(
          r.id(),
          r.actor(),
          r.actorSubject(),
          r.actorClientId(),
          r.action(),
          r.objectType(),
          r.objectId(),
          r.before(),
          r.after(),
          r.reason(),
          r.createdAt());
    }
  }
}
