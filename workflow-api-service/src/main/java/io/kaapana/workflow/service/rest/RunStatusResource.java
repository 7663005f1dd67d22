package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.StatusReport;
import io.kaapana.workflow.core.domain.TaskRunReport;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.StatusReportRequest;
import io.kaapana.workflow.service.rest.dto.AdapterDtos.TaskRunReportDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.RunDto;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The holder's status reports (role {@code adapter}). */
@Path("/v1/workflow-runs/{id}/status")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Adapters")
public class RunStatusResource {
  private final RunCommands runs;
  private final Tx tx;
  private final Callers callers;

  public RunStatusResource(RunCommands runs, Tx tx, Callers callers) {
    this.runs = runs;
    this.tx = tx;
    this.callers = callers;
  }

  @RolesAllowed({AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @POST
  @Operation(
      summary =
          "The holder's report of engine state; out-of-date reports are ignored, a stale lease is 409")
  @APIResponse(
      responseCode = "200",
      description = "The run after the report (unchanged when the report was out of date)",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response report(@PathParam("id") String id, StatusReportRequest body) {
    UUID runId = Http.id(id, "workflow run");
    Http.requireBody(body);
    if (body.attempt() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("attempt"), "attempt is required")));
    }
    List<TaskRunReport> tasks = new ArrayList<>();
    if (body.taskRuns() != null) {
      for (int i = 0; i < body.taskRuns().size(); i++) {
        TaskRunReportDto t = body.taskRuns().get(i);
        if (t == null) {
          throw WorkflowApiException.invalid(
              ErrorCode.VALIDATION_FAILED,
              List.of(
                  new FieldError(
                      FieldPointers.at("task_runs").index(i),
                      "a task run report must be an object")));
        }
        tasks.add(
            new TaskRunReport(
                t.taskTitle(),
                t.lifecycleStatus(),
                t.attempt() == null ? body.attempt() : t.attempt(),
                t.externalId(),
                t.startedAt(),
                t.finishedAt(),
                t.statusMessage()));
      }
    }
    StatusReport report =
        new StatusReport(
            body.leaseToken(),
            body.lifecycleStatus(),
            body.attempt(),
            body.externalId(),
            body.statusMessage(),
            body.startedAt(),
            body.finishedAt(),
            body.actionDone(),
            tasks);
    WorkflowRun run = tx.write(() -> runs.report(runId, report, callers.current().actor()));
    return Response.ok(RunDto.of(run)).tag(Http.etag(run.version())).build();
  }
}
