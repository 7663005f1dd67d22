package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.service.rest.dto.RunDtos.BulkEventRequest;
import io.kaapana.workflow.service.rest.dto.RunDtos.BulkResultDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.Refusal;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Events applied to every run a label selector matches (role {@code user}). */
@Path("/v1/bulk/workflow-run-events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Workflow runs")
public class BulkResource {
  private final RunCommands commands;
  private final Tx tx;
  private final Callers callers;

  public BulkResource(RunCommands commands, Tx tx, Callers callers) {
    this.commands = commands;
    this.tx = tx;
    this.callers = callers;
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @POST
  @Operation(
      summary = "Apply CANCEL or RETRY to every matching run, e.g. a whole kaapana.experiment")
  public BulkResultDto apply(BulkEventRequest body) {
    Http.requireBody(body);
    if (body.type() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("type"), "type is required")));
    }
    if (body.labelSelector() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(FieldPointers.at("label_selector"), "label_selector is required")));
    }
    ActionRequest action =
        body.type() == RequestedAction.CANCEL
            ? ActionRequest.cancel(Boolean.TRUE.equals(body.force()), body.reason())
            : ActionRequest.retry(body.scope(), body.reason());
    boolean dryRun = Boolean.TRUE.equals(body.dryRun());
    var states =
        body.lifecycleStatus() == null || body.lifecycleStatus().isEmpty()
            ? EnumSet.noneOf(io.kaapana.workflow.core.domain.RunState.class)
            : EnumSet.copyOf(body.lifecycleStatus());
    var result =
        tx.write(
            () -> {
              try {
                return commands.requestBulk(
                    new RunCommands.BulkRequest(
                        body.labelSelector(),
                        states,
                        action,
                        dryRun,
                        callers.current().projects(),
                        callers.current().actor()));
              } catch (WorkflowApiException e) {
                if (e.code() == ErrorCode.INVALID_LABEL_SELECTOR) {
                  // A bad selector in a body is an input error located at its field.
                  throw new WorkflowApiException(
                      e.code(),
                      e.getMessage(),
                      List.of(new FieldError(FieldPointers.at("label_selector"), e.getMessage())),
                      e.details().orElse(null));
                }
                throw e;
              }
            });
    return new BulkResultDto(
        result.matched(),
        result.applied(),
        result.refused().stream().map(r -> new Refusal(r.runId(), r.code().slug())).toList(),
        dryRun);
  }
}
