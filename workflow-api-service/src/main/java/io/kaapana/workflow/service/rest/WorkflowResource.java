package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges;
import io.kaapana.workflow.service.persistence.PageRequest;
import io.kaapana.workflow.service.persistence.WorkflowQueries;
import io.kaapana.workflow.service.rest.dto.PageDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.CreateWorkflowRequest;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.RevisionDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.TaskDto;
import io.kaapana.workflow.service.rest.dto.WorkflowDtos.WorkflowDto;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Workflows and their revisions (role {@code user}). */
@Path("/v1/workflows")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Workflows")
public class WorkflowResource {
  private final WorkflowCommands commands;
  private final WorkflowQueries queries;
  private final Tx tx;
  private final Links links;
  private final Callers callers;

  public WorkflowResource(
      WorkflowCommands commands, WorkflowQueries queries, Tx tx, Links links, Callers callers) {
    this.commands = commands;
    this.queries = queries;
    this.tx = tx;
    this.links = links;
    this.callers = callers;
  }

  @RolesAllowed({AccessRoles.WORKFLOW_DEVELOPER, AccessRoles.ADMIN})
  @POST
  @Operation(summary = "Create a workflow (201), or return the identical existing one (200)")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WorkflowDto.class)))
  @APIResponse(
      responseCode = "200",
      description = "An identical workflow existed; it is returned",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WorkflowDto.class)))
  public Response create(CreateWorkflowRequest body) {
    Http.requireBody(body);
    var result =
        tx.write(
            () ->
                commands.create(
                    new WorkflowCommands.CreateWorkflow(
                        body.title(),
                        body.workflowEngine(),
                        body.definition(),
                        body.parametersSchema(),
                        body.labels(),
                        body.description(),
                        callers.current().actor())));
    WorkflowDto dto = WorkflowDto.of(result.workflow(), result.revision());
    Response.ResponseBuilder r =
        result.created() ? Response.created(links.of("/v1/workflows/" + dto.id())) : Response.ok();
    return r.entity(dto).tag(Http.etag(result.workflow().version())).build();
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Operation(summary = "List workflows")
  public PageDto<WorkflowDto> list(
      @QueryParam("title") String title,
      @QueryParam("workflow_engine") String engine,
      @Parameter(
              description =
                  "Kubernetes label selector, e.g. kaapana.experiment=liver,tier in (a,b),!debug",
              example = "kaapana.experiment=liver-2026")
          @QueryParam("label_selector")
          String selector,
      @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          @QueryParam("include_archived")
          String includeArchived,
      @BeanParam PageParams page) {
    PageRequest pageRequest = page.toRequest(WorkflowQueries.ORDER_BY, "desc");
    var filter =
        new WorkflowQueries.Filter(
            title,
            engine,
            Http.selector(selector),
            PageRequest.parseBoolean("include_archived", includeArchived));
    return PageDto.of(
        queries.list(filter, pageRequest), v -> WorkflowDto.of(v.workflow(), v.revision()));
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Path("{id}")
  @Operation(summary = "Get a workflow with its current revision")
  @APIResponse(
      responseCode = "200",
      description = "The workflow with its current revision; ETag header",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WorkflowDto.class)))
  public Response get(@PathParam("id") String id) {
    var view = find(id);
    return Response.ok(WorkflowDto.of(view.workflow(), view.revision()))
        .tag(Http.etag(view.workflow().version()))
        .build();
  }

  @RolesAllowed({AccessRoles.WORKFLOW_DEVELOPER, AccessRoles.ADMIN})
  @PATCH
  @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
  @Operation(
      summary =
          "Change title or description in place; definition, parameters_schema or labels append a revision")
  @RequestBody(
      content =
          @Content(
              schema =
                  @Schema(
                      type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT),
              examples =
                  @ExampleObject(
                      name = "new-definition",
                      value =
                          "{\"definition\":\"from airflow import DAG\\n# v2\",\"labels\":{\"kaapana.experiment\":null}}")))
  @Path("{id}")
  @APIResponse(
      responseCode = "200",
      description = "The workflow after the change; ETag header",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(implementation = WorkflowDto.class)))
  public Response patch(
      @PathParam("id") String id,
      Map<String, Object> patch,
      @HeaderParam("If-Match") String ifMatch) {
    UUID workflowId = Http.id(id, "workflow");
    WorkflowChanges changes = WorkflowPatchReader.read(patch);
    Long expected = Http.ifMatch(ifMatch);
    var result =
        tx.write(() -> commands.patch(workflowId, changes, expected, callers.current().actor()));
    return Response.ok(WorkflowDto.of(result.workflow(), result.revision()))
        .tag(Http.etag(result.workflow().version()))
        .build();
  }

  @RolesAllowed({AccessRoles.WORKFLOW_DEVELOPER, AccessRoles.ADMIN})
  @DELETE
  @Path("{id}")
  @Operation(summary = "Archive a workflow (soft delete); its runs go on, new runs are refused")
  @APIResponse(responseCode = "204", description = "Archived")
  public Response archive(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
    UUID workflowId = Http.id(id, "workflow");
    Long expected = Http.ifMatch(ifMatch);
    tx.write(
        () -> {
          commands.archive(workflowId, expected, callers.current().actor());
          return null;
        });
    return Response.noContent().build();
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Path("{id}/revisions")
  @Operation(summary = "List the revisions of a workflow by increment")
  public PageDto<RevisionDto> revisions(@PathParam("id") String id, @BeanParam SeqPageParams page) {
    UUID workflowId = find(id).workflow().id();
    return PageDto.of(queries.revisions(workflowId, page.limit(), page.pageToken), RevisionDto::of);
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Path("{id}/revisions/{increment}")
  @Operation(summary = "Get one revision")
  public RevisionDto revision(
      @PathParam("id") String id, @PathParam("increment") String increment) {
    return RevisionDto.of(findRevision(id, increment));
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Path("{id}/tasks")
  @Operation(summary = "Task graph of the current revision (empty until an adapter reported it)")
  public List<TaskDto> tasks(@PathParam("id") String id) {
    return find(id).revision().tasks().stream().map(TaskDto::of).toList();
  }

  private WorkflowQueries.WorkflowView find(String id) {
    UUID workflowId = Http.id(id, "workflow");
    return queries
        .find(workflowId)
        .orElseThrow(() -> WorkflowApiException.notFound("workflow " + workflowId));
  }

  WorkflowRevision findRevision(String id, String increment) {
    UUID workflowId = Http.id(id, "workflow");
    int n;
    try {
      n = Integer.parseInt(increment);
    } catch (NumberFormatException e) {
      throw WorkflowApiException.notFound("revision '" + increment + "' (increments are 1, 2, …)");
    }
    return queries
        .revision(workflowId, n)
        .orElseThrow(
            () -> WorkflowApiException.notFound("revision " + n + " of workflow " + workflowId));
  }
}
