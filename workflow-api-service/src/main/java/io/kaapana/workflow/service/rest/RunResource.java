package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.CanonicalJson;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Key;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Result;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.service.logs.LogPage;
import io.kaapana.workflow.service.logs.LogProxy;
import io.kaapana.workflow.service.persistence.EventQueries;
import io.kaapana.workflow.service.persistence.PageRequest;
import io.kaapana.workflow.service.persistence.RunQueries;
import io.kaapana.workflow.service.rest.dto.EventPage;
import io.kaapana.workflow.service.rest.dto.PageDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.CreateRunRequest;
import io.kaapana.workflow.service.rest.dto.RunDtos.RunDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.RunEventRequest;
import io.kaapana.workflow.service.rest.dto.RunDtos.TaskRunDto;
import io.kaapana.workflow.service.rest.dto.RunDtos.TaskRunEventRequest;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Caller;
import io.kaapana.workflow.service.security.Callers;
import io.kaapana.workflow.service.security.Projects;
import io.kaapana.workflow.service.streams.LogFollows;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Runs, task runs, their events and logs (role {@code user}). */
@Path("/v1/workflow-runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Workflow runs")
public class RunResource {
  private static final String CREATE_SCOPE = "POST /v1/workflow-runs";
  private static final int MAX_LOG_LINES = 10_000;

  private final RunQueries queries;
  private final EventQueries events;
  private final IdempotentRunCommands idempotent;
  private final LogProxy logs;
  private final LogFollows follows;
  private final Tx tx;
  private final ObjectMapper mapper;
  private final Links links;
  private final Callers callers;
  private final Projects projects;

  public RunResource(
      RunQueries queries,
      EventQueries events,
      IdempotentRunCommands idempotent,
      LogProxy logs,
      LogFollows follows,
      Tx tx,
      ObjectMapper mapper,
      Links links,
      Callers callers,
      Projects projects) {
    this.queries = queries;
    this.events = events;
    this.idempotent = idempotent;
    this.logs = logs;
    this.follows = follows;
    this.tx = tx;
    this.mapper = mapper;
    this.links = links;
    this.callers = callers;
    this.projects = projects;
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @POST
  @Operation(
      summary = "Create a run (201); a replay with the same Idempotency-Key returns it again (200)")
  @APIResponse(
      responseCode = "201",
      description = "Created in CREATED",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  @APIResponse(
      responseCode = "200",
      description = "Replay of an Idempotency-Key: the original run",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response create(
      CreateRunRequest body,
      @HeaderParam(Http.IDEMPOTENCY_KEY) String keyHeader,
      @Parameter(description = "The run's project: one of the caller's (default: their only one)")
          @HeaderParam(Projects.HEADER)
          String projectHeader,
      @Parameter(hidden = true) @HeaderParam(Projects.KAAPANA_HEADER) String kaapanaProject) {
    Http.requireBody(body);
    Caller caller = callers.current();
    if (body.workflow() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("workflow"), "workflow is required")));
    }
    var command =
        new RunCommands.CreateRun(
            body.workflow().id(),
            body.workflow().title(),
            body.workflow().increment(),
            body.parameters(),
            body.labels(),
            projects.forNewRun(caller, projectHeader, kaapanaProject),
            caller.actor());
    Key key = key(CREATE_SCOPE + " project=" + command.project(), keyHeader, body);
    Result result = tx.write(() -> idempotent.create(command, key));
    WorkflowRun run = result.run();
    Response.ResponseBuilder r =
        result.replayed()
            ? Response.ok() // a repeated creation: the run that the first one made
            : Response.created(links.of("/v1/workflow-runs/" + run.id()));
    return r.entity(RunDto.of(run)).tag(Http.etag(run.version())).build();
  }

  /**
   * The request's idempotency key, if it sent one, with the hash of its body. A key is its caller's
   * own: the same key from another caller is another request (and never replays a run that caller
   * may not see).
   */
  private Key key(String scope, String header, Object body) {
    String key = Http.idempotencyKey(header);
    return key == null
        ? Key.NONE
        : new Key(
            scope + " caller=" + callers.current().subject(),
            key,
            CanonicalJson.sha256(mapper.convertValue(body, Map.class)));
  }

  /** The status of a request's answer: 200 when it took effect, 202 when the adapter has it. */
  private static int status(Result result) {
    return result.outcome() == IdempotentRunCommands.Outcome.ACCEPTED ? 202 : 200;
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Operation(summary = "List runs")
  public PageDto<RunDto> list(
      @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid"))
          @QueryParam("workflow_id")
          String workflowId,
      @QueryParam("workflow_title") String workflowTitle,
      @QueryParam("workflow_engine") String engine,
      @Parameter(description = "Comma list of states, e.g. RUNNING,ERROR")
          @QueryParam("lifecycle_status")
          String states,
      @Parameter(
              description =
                  "Kubernetes label selector, e.g. kaapana.experiment=liver,tier in (a,b),!debug",
              example = "kaapana.experiment=liver-2026")
          @QueryParam("label_selector")
          String selector,
      @QueryParam("adapter_id") String adapterId,
      @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("created_after")
          String createdAfter,
      @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time"))
          @QueryParam("created_before")
          String createdBefore,
      @BeanParam PageParams page) {
    PageRequest pageRequest = page.toRequest(RunQueries.ORDER_BY, "desc");
    var filter =
        new RunQueries.Filter(
            Http.optionalUuid(workflowId, "workflow_id"),
            workflowTitle,
            engine,
            Http.enumList(states, RunState.class, "lifecycle_status"),
            Http.selector(selector).and(callers.current().projects().selector()),
            adapterId,
            Http.optionalInstant(createdAfter, "created_after"),
            Http.optionalInstant(createdBefore, "created_before"));
    return PageDto.of(queries.list(filter, pageRequest), RunDto::of);
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Path("{id}")
  @Operation(summary = "Get a run (from the database; reads never call an engine)")
  @APIResponse(
      responseCode = "200",
      description = "The run; ETag header",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response get(@PathParam("id") String id) {
    WorkflowRun run = find(id);
    return Response.ok(RunDto.of(run)).tag(Http.etag(run.version())).build();
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @POST
  @Path("{id}/events")
  @Operation(
      summary =
          "Request CANCEL or RETRY: 200 when applied at once, 202 when the adapter carries it out")
  @APIResponse(
      responseCode = "200",
      description = "Applied at once (e.g. CANCEL of an unheld CREATED run)",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  @APIResponse(
      responseCode = "202",
      description = "Requested; the holding adapter carries it out",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response postEvent(
      @PathParam("id") String id,
      RunEventRequest body,
      @HeaderParam("If-Match") String ifMatch,
      @HeaderParam(Http.IDEMPOTENCY_KEY) String keyHeader) {
    UUID runId = find(id).id();
    Http.requireBody(body);
    if (body.type() == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("type"), "type is required")));
    }
    if (body.type() == RequestedAction.CANCEL && body.scope() != null) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("scope"), "scope applies to RETRY only")));
    }
    if (body.type() == RequestedAction.RETRY && Boolean.TRUE.equals(body.force())) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPointers.at("force"), "force applies to CANCEL only")));
    }
    ActionRequest action =
        body.type() == RequestedAction.CANCEL
            ? ActionRequest.cancel(Boolean.TRUE.equals(body.force()), body.reason())
            : ActionRequest.retry(body.scope(), body.reason());
    Long expected = Http.ifMatch(ifMatch);
    Key key = key("POST /v1/workflow-runs/" + runId + "/events", keyHeader, body);
    Result result =
        tx.write(() -> idempotent.request(runId, action, expected, callers.current().actor(), key));
    WorkflowRun run = result.run();
    return Response.status(status(result))
        .entity(RunDto.of(run))
        .tag(Http.etag(run.version()))
        .build();
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Path("{id}/events")
  @Operation(summary = "The run's history, oldest first; page with after=<seq>")
  public EventPage history(
      @PathParam("id") String id,
      @Parameter(
              description = "Return events with seq greater than this",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("after")
          String after,
      @BeanParam SeqPageParams page) {
    UUID runId = find(id).id();
    return EventResource.page(
        events, new EventQueries.Filter(null, null, runId, null, null), after, page);
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADAPTER, AccessRoles.ADMIN})
  @GET
  @Path("{id}/task-runs")
  @Operation(summary = "Task runs of a run (an empty list is 200)")
  public PageDto<TaskRunDto> taskRuns(
      @PathParam("id") String id,
      @QueryParam("task_title") String taskTitle,
      @Parameter(description = "Comma list of states, e.g. RUNNING,ERROR")
          @QueryParam("lifecycle_status")
          String states,
      @BeanParam PageParams page) {
    UUID runId = find(id).id();
    PageRequest pageRequest = page.toRequest(RunQueries.ORDER_BY, "asc");
    return PageDto.of(
        queries.taskRuns(
            runId,
            taskTitle,
            Http.enumList(states, TaskRunState.class, "lifecycle_status"),
            pageRequest),
        TaskRunDto::of);
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Path("{id}/task-runs/{taskRunId}")
  @Operation(summary = "One task run")
  public TaskRunDto taskRun(@PathParam("id") String id, @PathParam("taskRunId") String taskRunId) {
    return TaskRunDto.of(findTaskRun(id, taskRunId));
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @POST
  @Path("{id}/task-runs/{taskRunId}/events")
  @Operation(summary = "Request RETRY of one task run (where the engine supports it)")
  @APIResponse(
      responseCode = "202",
      description = "Requested; the holding adapter carries it out",
      content =
          @Content(mediaType = "application/json", schema = @Schema(implementation = RunDto.class)))
  public Response postTaskEvent(
      @PathParam("id") String id,
      @PathParam("taskRunId") String taskRunId,
      TaskRunEventRequest body,
      @HeaderParam(Http.IDEMPOTENCY_KEY) String keyHeader) {
    UUID runId = find(id).id();
    UUID taskId = Http.id(taskRunId, "task run");
    Http.requireBody(body);
    if (body.type() != RequestedAction.RETRY) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  FieldPointers.at("type"), "task runs take only RETRY; cancel the run instead")));
    }
    Key key =
        key(
            "POST /v1/workflow-runs/" + runId + "/task-runs/" + taskId + "/events",
            keyHeader,
            body);
    Result result =
        tx.write(
            () ->
                idempotent.requestTaskRetry(
                    runId, taskId, body.reason(), callers.current().actor(), key));
    WorkflowRun run = result.run();
    return Response.status(status(result))
        .entity(RunDto.of(run))
        .tag(Http.etag(run.version()))
        .build();
  }

  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Path("{id}/task-runs/{taskRunId}/logs")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Task log lines of one attempt (JSON page), or followed live as Server-Sent Events")
  @APIResponse(
      responseCode = "200",
      description =
          "A page of log lines, or (Accept: text/event-stream or follow=true) a stream of 'log' events ending with 'end'",
      content = {
        @Content(mediaType = "application/json", schema = @Schema(implementation = LogPage.class)),
        @Content(
            mediaType = "text/event-stream",
            schema =
                @Schema(
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING))
      })
  public LogPage logs(
      @PathParam("id") String id,
      @PathParam("taskRunId") String taskRunId,
      @Parameter(
              description = "Attempt (default: the latest)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
          @QueryParam("attempt")
          String attemptText,
      @Parameter(description = "Opaque cursor from next_cursor") @QueryParam("cursor")
          String cursor,
      @Parameter(
              description = "Lines per page (a follow sends at most 500 lines a page)",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "10000",
                      defaultValue = "1000"))
          @QueryParam("limit")
          String limitText,
      @Parameter(
              description = "Stream lines as Server-Sent Events until the task run settles",
              schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
          @QueryParam("follow")
          String followText) {
    PageRequest.parseBoolean("follow", followText); // true never gets here (FollowAsStream)
    LogRequest request = logRequest(id, taskRunId, attemptText, limitText);
    return logs.fetch(request.run(), request.task(), request.attempt(), cursor, request.limit());
  }

  /**
   * The follow (documented with {@link #logs}, which shares its path): from {@code Last-Event-ID}
   * (what a reconnecting EventSource sends), else from {@code cursor}.
   */
  @RolesAllowed({AccessRoles.USER, AccessRoles.ADMIN})
  @GET
  @Path("{id}/task-runs/{taskRunId}/logs")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @Operation(hidden = true)
  @Blocking
  public Multi<OutboundSseEvent> followLogs(
      @PathParam("id") String id,
      @PathParam("taskRunId") String taskRunId,
      @QueryParam("attempt") String attemptText,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") String limitText,
      @QueryParam("follow") String followText,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse,
      @Context RoutingContext routing) {
    PageRequest.parseBoolean("follow", followText);
    LogRequest request = logRequest(id, taskRunId, attemptText, limitText);
    String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
    return Multi.createFrom()
        .publisher(
            follows.open(
                request.run(),
                request.task(),
                request.attempt(),
                from,
                request.limit(),
                sse,
                routing));
  }

  private record LogRequest(WorkflowRun run, TaskRun task, int attempt, int limit) {}

  private LogRequest logRequest(String id, String taskRunId, String attemptText, String limitText) {
    WorkflowRun run = find(id);
    TaskRun task = findTaskRun(id, taskRunId);
    int attempt = Http.intInRange(attemptText, "attempt", 1, Integer.MAX_VALUE, task.attempt());
    if (attempt > task.attempt()) {
      throw WorkflowApiException.notFound(
          "attempt "
              + attempt
              + " of task run "
              + task.id()
              + " (latest is "
              + task.attempt()
              + ")");
    }
    int limit = Http.intInRange(limitText, "limit", 1, MAX_LOG_LINES, 1000);
    return new LogRequest(run, task, attempt, limit);
  }

  /** The run, if the caller may see it; a run of another project is as missing as none. */
  private WorkflowRun find(String id) {
    UUID runId = Http.id(id, "workflow run");
    Caller caller = callers.current();
    return queries
        .find(runId)
        .filter(run -> projects.visible(caller, run))
        .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + runId));
  }

  private TaskRun findTaskRun(String id, String taskRunId) {
    UUID runId = find(id).id();
    UUID taskId = Http.id(taskRunId, "task run");
    return queries
        .findTaskRun(runId, taskId)
        .orElseThrow(
            () -> WorkflowApiException.notFound("task run " + taskId + " of run " + runId));
  }
}
