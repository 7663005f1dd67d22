package io.kaapana.workflow.service.rest.dto;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRunState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Wire shapes of the adapter endpoints. */
public final class AdapterDtos {
  private AdapterDtos() {}

  @Schema(
      name = "AdapterRegistration",
      example =
          "{\"workflow_engine\":\"airflow\",\"label_selector\":\"kaapana.io/workflow-engine=airflow\","
              + "\"capabilities\":[\"CANCEL\",\"RETRY_RUN\",\"RETRY_TASK\",\"LOGS\",\"LOG_FOLLOW\",\"VALIDATE\"],"
              + "\"endpoint_url\":\"http://airflow-adapter.kaapana.svc:8081\",\"version\":\"0.1.0\",\"lease_seconds\":30}")
  public record RegisterAdapterRequest(
      @Schema(required = true, pattern = WorkflowDtos.ENGINE_PATTERN) String workflowEngine,
      String labelSelector,
      Set<Capability> capabilities,
      String endpointUrl,
      String version,
      @Schema(
              description =
                  "Heartbeat lease: missing heartbeats for this long mark the adapter LOST; 2 to 600, default 30",
              minimum = "2",
              maximum = "600")
          Integer leaseSeconds) {}

  @Schema(name = "Adapter")
  public record AdapterDto(
      String id,
      String workflowEngine,
      String labelSelector,
      Set<Capability> capabilities,
      String endpointUrl,
      String version,
      int leaseSeconds,
      Instant registeredAt,
      Instant lastSeenAt,
      String status) {
    public static AdapterDto of(Adapter a) {
      return new AdapterDto(
          a.id(),
          a.workflowEngine(),
          a.labelSelector(),
          a.capabilities(),
          a.endpointUrl(),
          a.version(),
          a.leaseSeconds(),
          a.registeredAt(),
          a.lastSeenAt(),
          a.status().name());
    }
  }

  @Schema(name = "ClaimRequest", example = "{\"limit\":10,\"wait_seconds\":20}")
  public record ClaimRequest(
      @Schema(minimum = "1", maximum = "100", defaultValue = "10") Integer limit,
      @Schema(minimum = "0", maximum = "60", defaultValue = "0") Integer waitSeconds) {}

  @Schema(
      name = "ClaimedWorkflowRun",
      description = "A WorkflowRun with the lease under which the adapter holds it")
  public record ClaimedRunDto(
      @JsonUnwrapped RunDtos.RunDto run,
      UUID leaseToken,
      Instant leaseExpiresAt,
      RunDtos.ActionRequestDto actionRequest,
      @Schema(
              description =
                  "The W3C trace context of the request that created the run; send it as the"
                      + " traceparent header on calls about the run, so they join its trace."
                      + " Absent when the creation was not traced.",
              pattern = "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
              example = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
          String traceparent) {}

  @Schema(name = "Claim")
  public record ClaimResponse(List<ClaimedRunDto> runs, List<WorkflowDtos.RevisionDto> revisions) {}

  @Schema(name = "TaskRunReport")
  public record TaskRunReportDto(
      @Schema(required = true) String taskTitle,
      @Schema(required = true) TaskRunState lifecycleStatus,
      Integer attempt,
      String externalId,
      Instant startedAt,
      Instant finishedAt,
      String statusMessage) {}

  @Schema(
      name = "StatusReport",
      example =
          "{\"lease_token\":\"0f8c3a8e-6a59-4c31-9b51-6f0cb0d1a6e2\",\"lifecycle_status\":\"RUNNING\",\"attempt\":1,"
              + "\"external_id\":\"kaapana-0190a1b2\",\"started_at\":\"2026-11-26T17:00:00.123Z\","
              + "\"task_runs\":[{\"task_title\":\"fetch\",\"lifecycle_status\":\"COMPLETED\",\"attempt\":1,"
              + "\"external_id\":\"fetch\",\"started_at\":\"2026-11-26T17:00:01.000Z\",\"finished_at\":\"2026-11-26T17:00:09.000Z\"}]}")
  public record StatusReportRequest(
      @Schema(required = true) UUID leaseToken,
      @Schema(required = true) RunState lifecycleStatus,
      @Schema(required = true, minimum = "1") Integer attempt,
      String externalId,
      String statusMessage,
      Instant startedAt,
      Instant finishedAt,
      RequestedAction actionDone,
      List<TaskRunReportDto> taskRuns) {}
}
