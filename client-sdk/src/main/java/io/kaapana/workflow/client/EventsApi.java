package io.kaapana.workflow.client;

import com.fasterxml.jackson.databind.JavaType;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.Page;
import java.util.Map;
import java.util.function.Consumer;

/** The global event log: pages, and a live subscription that resumes by itself. */
public final class EventsApi {
  private static final JavaType PAGE =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, Event.class);

  private final HttpTransport transport;

  EventsApi(HttpTransport transport) {
    this.transport = transport;
  }

  /** A page of events; set {@link Query#after(long)} to continue from a sequence number. */
  public Page<Event> list(Query query) {
    return transport
        .<Page<Event>>call(HttpTransport.Call.get("/v1/events", query.asMap()), PAGE)
        .body();
  }

  /**
   * Streams events after {@code afterSeq} (0: from the start) matching the query's filters, to
   * {@code handler} on the subscription's own thread, in {@code seq} order. After a dropped
   * connection it reconnects with {@code Last-Event-ID} and goes on after the last event delivered,
   * so the handler sees every event once.
   */
  public Subscription subscribe(Query query, long afterSeq, Consumer<Event> handler) {
    return subscribe(query, afterSeq, handler, error -> {});
  }

  /**
   * As {@link #subscribe(Query, long, Consumer)}, telling {@code connectionErrors} of each drop.
   */
  public Subscription subscribe(
      Query query, long afterSeq, Consumer<Event> handler, Consumer<Throwable> connectionErrors) {
    Map<String, String> filters = query.asMap();
    filters.remove("after");
    return new Subscription(
            transport,
            "kaapana-events",
            Long.toString(afterSeq),
            lastSeq -> {
              Map<String, String> params = new java.util.LinkedHashMap<>(filters);
              params.put("after", lastSeq);
              return HttpTransport.Call.get("/v1/events", params)
                  .withHeader("Last-Event-ID", lastSeq);
            },
            frame -> {
              if (frame.id() != null && frame.data() != null && !frame.data().isEmpty()) {
                handler.accept(RunsApi.read(frame.data(), Event.class));
              }
              return Subscription.Next.CONTINUE;
            },
            connectionErrors)
        .start();
  }
}
