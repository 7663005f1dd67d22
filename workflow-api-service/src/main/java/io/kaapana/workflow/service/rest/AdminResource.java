package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.service.admin.Housekeeping;
import io.kaapana.workflow.service.persistence.Page;
import io.kaapana.workflow.service.persistence.SeqToken;
import io.kaapana.workflow.service.rest.dto.AdminDtos.AuditEntry;
import io.kaapana.workflow.service.rest.dto.AdminDtos.PurgeRequest;
import io.kaapana.workflow.service.rest.dto.AdminDtos.PurgeResult;
import io.kaapana.workflow.service.rest.dto.AdminDtos.RunPatch;
import io.kaapana.workflow.service.rest.dto.AdminDtos.WorkflowPatch;
import io.kaapana.workflow.service.rest.dto.PageDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.RunDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.WorkflowDto;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Housekeeping and forced updates, every one audited (role {@code admin}). */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "Admin")
@RolesAllowed(AccessRoles.ADMIN)
public class AdminResource {
  private final Housekeeping housekeeping;
  private final RunCommands runs;
  private final WorkflowCommands workflows;
  private final Tx tx;
  private final Callers callers;

  public AdminResource(
      Housekeeping housekeeping,
      RunCommands runs,
      WorkflowCommands workflows,
      Tx tx,
      Callers callers) {
    this.housekeeping = housekeeping;
    this.runs = runs;
    this.workflows = workflows;
    this.tx = tx;
    this.callers = callers;
  }

  @POST
  @Path("purge")
  @Operation(
      summary = "Delete archived workflows and old settled runs with their task runs and events")
  public PurgeResult purge(PurgeRequest body) {
    Http.requireBody(body);
    boolean dryRun = Boolean.TRUE.equals(body.dryRun());
    if (body.runs() != null && body.runs().finishedBefore() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  FieldPointers.at("runs").key("finished_before"),
                  "finished_before is required to purge runs")));
    }
    var command =
        new Housekeeping.PurgeCommand(
            Boolean.TRUE.equals(body.archivedWorkflows()),
            body.runs() == null
                    || body.runs().lifecycleStatus() == null
                    || body.runs().lifecycleStatus().isEmpty()
                ? EnumSet.noneOf(RunState.class)
                : EnumSet.copyOf(body.runs().lifecycleStatus()),
            body.runs() == null ? null : body.runs().finishedBefore(),
            body.eventsBefore());
    try {
      return tx.write(
          () -> {
            PurgeResult result =
                PurgeResult.of(housekeeping.purge(command, dryRun, callers.current().actor()));
            if (dryRun) {
              throw new DryRunDone(result); // count what would go, then roll it all back
            }
            return result;
          });
    } catch (DryRunDone done) {
      return done.result;
    }
  }

  /** Carries a dry run's counts out of the transaction it rolls back. */
  private static final class DryRunDone extends RuntimeException {
    private final transient PurgeResult result;

    DryRunDone(PurgeResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  @DELETE
  @Path("workflows/{id}")
  @Operation(summary = "Delete an archived workflow for good, with its revisions and settled runs")
  @APIResponse(responseCode = "204", description = "Deleted for good")
  public Response deleteWorkflow(@PathParam("id") String id) {
    UUID workflowId = Http.id(id, "workflow");
    tx.write(
        () -> {
          housekeeping.deleteArchivedWorkflow(workflowId, callers.current().actor());
          return null;
        });
    return Response.noContent().build();
  }

  @PATCH
  @Path("workflow-runs/{id}")
  @Operation(
      summary = "Forced update of labels, state or message; bypasses the state machine; audited")
  @APIResponse(
      responseCode = "200",
      description = "The run after the forced update",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response patchRun(@PathParam("id") String id, RunPatch body) {
    UUID runId = Http.id(id, "workflow run");
    Http.requireBody(body);
    WorkflowRun run =
        tx.write(
            () ->
                runs.forceUpdate(
                    runId,
                    body.labels(),
                    body.lifecycleStatus(),
                    body.statusMessage(),
                    body.reason(),
                    callers.current().actor()));
    return Response.ok(RunDto.of(run)).tag(Http.etag(run.version())).build();
  }

  @PATCH
  @Path("workflows/{id}")
  @Operation(summary = "Forced update of labels (immutable ones too) and title; audited")
  @APIResponse(
      responseCode = "200",
      description = "The workflow after the forced update",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WorkflowDto.class)))
  public Response patchWorkflow(@PathParam("id") String id, WorkflowPatch body) {
    UUID workflowId = Http.id(id, "workflow");
    Http.requireBody(body);
    var result =
        tx.write(
            () ->
                workflows.forceUpdate(
                    workflowId,
                    body.labels(),
                    body.title(),
                    body.reason(),
                    callers.current().actor()));
    return Response.ok(WorkflowDto.of(result.workflow(), result.revision()))
        .tag(Http.etag(result.workflow().version()))
        .build();
  }

  @GET
  @Path("audit")
  @Operation(summary = "Every admin action: who, when, what, before and after; newest first")
  public PageDto<AuditEntry> audit(@BeanParam SeqPageParams page) {
    int limit = page.limit();
    long before = SeqToken.decode(page.pageToken, Long.MAX_VALUE);
    Page<AuditEntry> entries =
        SeqToken.page(
            housekeeping.audit(before, limit + 1).stream().map(AuditEntry::of).toList(),
            limit,
            AuditEntry::id);
    return new PageDto<>(entries.items(), entries.nextPageToken(), null);
  }
}
