package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.persistence.EventQueries;
import io.kaapana.workflow.service.persistence.Page;
import io.kaapana.workflow.service.persistence.PageRequest;
import io.kaapana.workflow.service.persistence.SeqToken;
import io.kaapana.workflow.service.rest.dto.EventDto;
import io.kaapana.workflow.service.rest.dto.EventPage;
import io.kaapana.workflow.service.security.AccessRoles;
import io.kaapana.workflow.service.security.Callers;
import io.kaapana.workflow.service.streams.EventStreams;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The event history as pages, and live as Server-Sent Events (role {@code user}). */
@Path("/v1/events")
@Tag(name = "Events")
public class EventResource {
  private static final Set<String> OBJECT_TYPES =
      Set.of("workflow", "workflow_run", "task_run", "adapter");

  private final EventQueries events;
  private final EventStreams streams;
  private final Callers callers;

  public EventResource(EventQueries events, EventStreams streams, Callers callers) {
    this.events = events;
    this.streams = streams;
    this.callers = callers;
  }

  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Events after a sequence number; with Accept: text/event-stream a live stream from now on, or resumed from Last-Event-ID")
  @APIResponse(
      responseCode = "200",
      description =
          "A page of events, or (Accept: text/event-stream) a live stream whose SSE id is the seq;"
              + " without Last-Event-ID or after it starts with the next event",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = EventPage.class)),
        @Content(
            mediaType = "text/event-stream",
            schema =
                @Schema(
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING))
      })
  public EventPage list(
      @Parameter(
              description = "Return events with seq greater than this",
              schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
          @QueryParam("after")
          String after,
      @Parameter(
              schema = @Schema(enumeration = {"workflow", "workflow_run", "task_run", "adapter"}))
          @QueryParam("object_type")
          String objectType,
      @QueryParam("type") String type,
      @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid"))
          @QueryParam("workflow_run_id")
          String workflowRunId,
      @Parameter(
              description =
                  "Kubernetes label selector, e.g. kaapana.experiment=liver,tier in (a,b),!debug",
              example = "kaapana.experiment=liver-2026")
          @QueryParam("label_selector")
          String selector,
      @BeanParam SeqPageParams page,
      @Parameter(
              description =
                  "With Accept: text/event-stream: resume after this seq (what a reconnecting"
                      + " EventSource sends)")
          @HeaderParam("Last-Event-ID")
          String lastEventId) {
    return page(events, filter(objectType, type, workflowRunId, selector), after, page);
  }

  /**
   * The live stream (documented with {@link #list}, which shares its path): after {@code
   * Last-Event-ID}, else after {@code after}, else from now on.
   */
  @RolesAllowed({
    AccessRoles.USER,
    AccessRoles.ADAPTER,
    AccessRoles.WORKFLOW_DEVELOPER,
    AccessRoles.ADMIN
  })
  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.TEXT_PLAIN)
  @Operation(hidden = true)
  @Blocking
  public Multi<OutboundSseEvent> stream(
      @QueryParam("after") String after,
      @QueryParam("object_type") String objectType,
      @QueryParam("type") String type,
      @QueryParam("workflow_run_id") String workflowRunId,
      @QueryParam("label_selector") String selector,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse,
      @Context RoutingContext routing) {
    EventQueries.Filter filter = filter(objectType, type, workflowRunId, selector);
    long start;
    if (lastEventId != null && !lastEventId.isBlank()) {
      start = parseSeq(lastEventId, "Last-Event-ID");
    } else if (after != null && !after.isEmpty()) {
      start = parseSeq(after, "after");
    } else {
      start = streams.now();
    }
    return Multi.createFrom().publisher(streams.open(filter, start, sse, routing));
  }

  /** The filter asked for, confined to the caller's projects. */
  private EventQueries.Filter filter(
      String objectType, String type, String workflowRunId, String selector) {
    if (objectType != null && !OBJECT_TYPES.contains(objectType)) {
      throw PageRequest.badQuery(
          "object_type must be one of " + OBJECT_TYPES + ", got '" + objectType + "'");
    }
    return new EventQueries.Filter(
        objectType,
        type,
        Http.optionalUuid(workflowRunId, "workflow_run_id"),
        Http.selector(selector),
        callers.current().projects());
  }

  /** A JSON page of events after {@code after} or after the position a page token names. */
  static EventPage page(
      EventQueries events, EventQueries.Filter filter, String after, SeqPageParams params) {
    int limit = params.limit();
    long start = SeqToken.decode(params.pageToken, parseAfter(after));
    Page<EventQueries.StoredEvent> found =
        SeqToken.page(events.after(start, filter, limit + 1), limit, EventQueries.StoredEvent::seq);
    return new EventPage(found.items().stream().map(EventDto::of).toList(), found.nextPageToken());
  }

  private static long parseAfter(String after) {
    return after == null || after.isEmpty() ? 0 : parseSeq(after, "after");
  }

  private static long parseSeq(String value, String name) {
    try {
      long seq = Long.parseLong(value.trim());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw PageRequest.badQuery(
        name + " must be an event sequence number (0 or more), got '" + value + "'");
  }
}
