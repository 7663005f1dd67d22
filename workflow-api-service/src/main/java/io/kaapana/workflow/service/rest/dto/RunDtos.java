package io.kaapana.workflow.service.rest.dto;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RetryScope;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of runs, task runs and the events clients post to them. */
public final class RunDtos {
  private RunDtos() {}

  @Schema(
      name = "WorkflowReference",
      description = "A workflow by id or title, and optionally a revision")
  public record WorkflowRef(UUID id, String title, Integer increment) {}

  @Schema(
      name = "CreateWorkflowRun",
      example =
          "{\"workflow\":{\"title\":\"total-segmentator\"},\"parameters\":{\"fast\":true},"
              + "\"labels\":{\"kaapana.experiment\":\"liver-2026\"}}")
  public record CreateRunRequest(
      @Schema(required = true) WorkflowRef workflow,
      Map<String, Object> parameters,
      Map<String, String> labels) {}

  @Schema(name = "WorkflowRun")
  public record RunDto(
      UUID id,
      WorkflowRef workflow,
      String workflowEngine,
      Map<String, String> labels,
      Map<String, Object> parameters,
      RunState lifecycleStatus,
      RequestedAction requestedAction,
      String statusMessage,
      int attempt,
      String externalId,
      String adapterId,
      Instant createdAt,
      Instant updatedAt,
      Instant startedAt,
      Instant finishedAt,
      Map<TaskRunState, Integer> taskRunCounts) {
    public static RunDto of(WorkflowRun r) {
      return new RunDto(
          r.id(),
          new WorkflowRef(r.workflowId(), r.workflowTitle(), r.revisionIncrement()),
          r.workflowEngine(),
          r.labels().asMap(),
          r.parameters(),
          r.state(),
          r.requestedAction(),
          r.statusMessage(),
          r.attempt(),
          r.externalId(),
          r.adapterId(),
          r.createdAt(),
          r.updatedAt(),
          r.startedAt(),
          r.finishedAt(),
          new TreeMap<>(r.taskRunCounts()));
    }
  }

  @Schema(name = "TaskRun")
  public record TaskRunDto(
      UUID id,
      UUID workflowRunId,
      String taskTitle,
      TaskRunState lifecycleStatus,
      int attempt,
      String externalId,
      String statusMessage,
      Instant startedAt,
      Instant finishedAt,
      Instant updatedAt) {
    public static TaskRunDto of(TaskRun t) {
      return new TaskRunDto(
          t.id(),
          t.workflowRunId(),
          t.taskTitle(),
          t.state(),
          t.attempt(),
          t.externalId(),
          t.statusMessage(),
          t.startedAt(),
          t.finishedAt(),
          t.updatedAt());
    }
  }

  @Schema(
      name = "WorkflowRunEvent",
      example = "{\"type\":\"RETRY\",\"reason\":\"node was preempted\",\"scope\":\"FAILED\"}")
  public record RunEventRequest(
      @Schema(required = true) RequestedAction type,
      String reason,
      RetryScope scope,
      Boolean force) {}

  @Schema(name = "TaskRunEvent", example = "{\"type\":\"RETRY\",\"reason\":\"flaky download\"}")
  public record TaskRunEventRequest(@Schema(required = true) RequestedAction type, String reason) {}

  @Schema(
      name = "BulkWorkflowRunEvent",
      example =
          "{\"label_selector\":\"kaapana.experiment=liver-2026\",\"lifecycle_status\":[\"PENDING\",\"RUNNING\"],"
              + "\"type\":\"CANCEL\",\"reason\":\"experiment stopped\",\"dry_run\":false}")
  public record BulkEventRequest(
      @Schema(required = true) String labelSelector,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<RunState> lifecycleStatus,
      @Schema(required = true) RequestedAction type,
      String reason,
      RetryScope scope,
      Boolean force,
      Boolean dryRun) {}

  @Schema(name = "BulkRefusal")
  public record Refusal(UUID id, String code) {}

  @Schema(name = "BulkResult")
  public record BulkResultDto(int matched, int applied, List<Refusal> refused, boolean dryRun) {}

  @Schema(
      name = "ActionRequest",
      description = "How the adapter is to carry out the requested action")
  public record ActionRequestDto(
      RequestedAction type, RetryScope scope, boolean force, String taskTitle, String reason) {
    public static ActionRequestDto of(ActionRequest a) {
      return a == null
          ? null
          : new ActionRequestDto(a.type(), a.scope(), a.force(), a.taskTitle(), a.reason());
    }
  }
}
