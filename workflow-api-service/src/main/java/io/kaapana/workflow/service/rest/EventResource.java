package io.kaapana.workflow.service.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.service.adapters.ChangeSignal;
import io.kaapana.workflow.service.persistence.EventQueries;
import io.kaapana.workflow.service.persistence.Page;
import io.kaapana.workflow.service.persistence.PageRequest;
import io.kaapana.workflow.service.persistence.SeqToken;
import io.kaapana.workflow.service.rest.dto.EventDto;
import io.kaapana.workflow.service.rest.dto.EventPage;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The event history as pages, and live as Server-Sent Events (role {@code user}). */
@Path("/v1/events")
@Tag(name = "Events")
public class EventResource {
  private static final Set<String> OBJECT_TYPES =
      Set.of("workflow", "workflow_run", "task_run", "adapter");
  private static final int STREAM_BATCH = 500;
  private static final long KEEP_ALIVE_MILLIS = 15_000;

  private final EventQueries events;
  private final ChangeSignal signal;
  private final ObjectMapper mapper;
  private volatile boolean stopping;

  public EventResource(EventQueries events, ChangeSignal signal, ObjectMapper mapper) {
    this.events = events;
    this.signal = signal;
    this.mapper = mapper;
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    signal.signal();
  }

  @GET
  @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
  @Operation(
      summary =
          "Events after a sequence number; with Accept: text/event-stream a live stream that resumes from Last-Event-ID")
  @APIResponse(
      responseCode = "200",
      description =
          "A page of events, or (Accept: text/event-stream) a live stream whose SSE id is the seq",
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
  public Response list(
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
      @HeaderParam("Accept") String accept,
      @HeaderParam("Last-Event-ID") String lastEventId) {
    if (objectType != null && !OBJECT_TYPES.contains(objectType)) {
      throw PageRequest.badQuery(
          "object_type must be one of " + OBJECT_TYPES + ", got '" + objectType + "'");
    }
    var filter =
        new EventQueries.Filter(
            objectType,
            type,
            Http.optionalUuid(workflowRunId, "workflow_run_id"),
            Http.selector(selector));
    if (accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS)) {
      long start =
          lastEventId != null && !lastEventId.isBlank()
              ? parseSeq(lastEventId, "Last-Event-ID")
              : parseAfter(after);
      StreamingOutput stream = out -> stream(new SseWriter(out), filter, start);
      return Response.ok(stream, MediaType.SERVER_SENT_EVENTS)
          .header("Cache-Control", "no-cache")
          .header("X-Accel-Buffering", "no")
          .build();
    }
    return Response.ok(page(events, filter, after, page), MediaType.APPLICATION_JSON).build();
  }

  private void stream(SseWriter sse, EventQueries.Filter filter, long after)
      throws java.io.IOException {
    long last = after;
    long lastWrite = System.currentTimeMillis();
    sse.retry(2000);
    while (!stopping) {
      long seen = signal.generation();
      List<EventQueries.StoredEvent> batch = events.after(last, filter, STREAM_BATCH);
      for (EventQueries.StoredEvent e : batch) {
        sse.event(String.valueOf(e.seq()), e.type(), mapper.writeValueAsString(EventDto.of(e)));
        last = e.seq();
      }
      if (!batch.isEmpty()) {
        lastWrite = System.currentTimeMillis();
        continue;
      }
      if (System.currentTimeMillis() - lastWrite >= KEEP_ALIVE_MILLIS) {
        sse.keepAlive(); // throws once the client is gone, which ends the stream
        lastWrite = System.currentTimeMillis();
      }
      try {
        signal.awaitAfter(seen, 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
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
