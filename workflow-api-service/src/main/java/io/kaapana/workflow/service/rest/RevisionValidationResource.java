package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.RevisionDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.TaskDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.ValidationReportRequest;
import io.kaapana.workflow.service.security.AccessRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The adapter's verdict on a revision (role {@code adapter}). */
@Path("/v1/workflows/{id}/revisions/{increment}/validation")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Adapters")
public class RevisionValidationResource {
  private final WorkflowCommands workflows;
  private final Tx tx;

  public RevisionValidationResource(WorkflowCommands workflows, Tx tx) {
    this.workflows = workflows;
    this.tx = tx;
  }

  @RolesAllowed({AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @PUT
  @Operation(
      summary = "The adapter's verdict on a revision, with its task graph and engine reference")
  public RevisionDto validation(
      @PathParam("id") String id,
      @PathParam("increment") String increment,
      ValidationReportRequest body) {
    UUID workflowId = Http.id(id, "workflow");
    Http.requireBody(body);
    int n;
    try {
      n = Integer.parseInt(increment);
    } catch (NumberFormatException e) {
      throw WorkflowApiException.notFound("revision '" + increment + "'");
    }
    if (body.tasks() != null && body.tasks().contains(null)) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("tasks"), "tasks must be objects")));
    }
    var verdict =
        new WorkflowCommands.ValidationVerdict(
            body.status(),
            body.messages(),
            body.tasks() == null ? null : body.tasks().stream().map(TaskDto::toDomain).toList(),
            body.engineRef(),
            body.adapterId());
    return RevisionDto.of(tx.write(() -> workflows.recordValidation(workflowId, n, verdict)));
  }
}
