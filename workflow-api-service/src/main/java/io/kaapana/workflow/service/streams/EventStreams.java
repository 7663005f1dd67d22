package io.kaapana.workflow.service.streams;

import io.kaapana.workflow.service.persistence.EventQueries.Filter;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.concurrent.Flow;

/** Opens live event streams: the entry point the REST resource uses. */
@ApplicationScoped
public class EventStreams {
  private final EventHub hub;
  private final StreamWork work;
  private final StreamSlots slots;
  private final StreamSettings settings;
  private final Vertx vertx;

  public EventStreams(
      EventHub hub, StreamWork work, StreamSlots slots, StreamSettings settings, Vertx vertx) {
    this.hub = hub;
    this.work = work;
    this.slots = slots;
    this.settings = settings;
    this.vertx = vertx;
  }

  /** Where a stream that names no position starts: after the newest event there is now. */
  public long now() {
    return hub.latestSeq();
  }

  /**
   * A stream of the events after {@code position} that match {@code filter}; refuses with 429 when
   * this instance has its limit of open streams.
   */
  public Flow.Publisher<OutboundSseEvent> open(
      Filter filter, long position, Sse sse, RoutingContext routing) {
    StreamSlots.Slot slot = slots.acquire();
    EventStream stream =
        new EventStream(
            hub,
            work,
            filter,
            position,
            sse,
            SseStream.requestContext(vertx),
            disconnect(routing),
            slot,
            settings);
    // whatever way the exchange ends (even before the stream was subscribed), the stream ends
    routing.addEndHandler(done -> stream.cancel());
    return stream;
  }

  /** Drops the connection (HTTP/1.1: closes it): for a client that cannot take more. */
  static Runnable disconnect(RoutingContext routing) {
    return () -> routing.response().reset();
  }
}
