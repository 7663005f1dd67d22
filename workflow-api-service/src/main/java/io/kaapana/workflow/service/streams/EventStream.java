package io.kaapana.workflow.service.streams;

import io.kaapana.workflow.service.persistence.EventQueries.Filter;
import io.kaapana.workflow.service.persistence.EventQueries.StoredEvent;
import io.vertx.core.Context;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * One client's live event stream. It starts at a position (a sequence number), reads pages from the
 * database while it is older than the hub's window, then takes matching events from the window as
 * its client reads them. A client the window leaves behind is disconnected: its last id resumes it.
 */
final class EventStream extends SseStream implements EventHub.Subscriber {
  private static final Logger LOG = Logger.getLogger(EventStream.class);
  static final int PAGE = 200;
  private static final long PERMIT_RETRY_MILLIS = 200;

  private final EventHub hub;
  private final StreamWork work;
  private final Filter filter;
  private long position;
  private boolean live;
  private boolean reading;
  private boolean holdsPermit;
  private final ArrayDeque<StoredEvent> page = new ArrayDeque<>();
  private long pageFloor = -1;

  EventStream(
      EventHub hub,
      StreamWork work,
      Filter filter,
      long position,
      Sse sse,
      Context context,
      Runnable disconnect,
      StreamSlots.Slot slot,
      StreamSettings settings) {
    super("event stream", sse, context, disconnect, slot, settings);
    this.hub = hub;
    this.work = work;
    this.filter = filter;
    this.position = position;
  }

  @Override
  public void wake() {
    schedule();
  }

  @Override
  protected void opened() {
    hub.add(this);
  }

  @Override
  protected OutboundSseEvent next() {
    if (!page.isEmpty()) {
      StoredEvent e = page.poll();
      position = e.seq();
      if (page.isEmpty()) {
        finishPage();
      }
      return frame(e.seq(), e.type(), hub.json(e));
    }
    if (reading) {
      return null;
    }
    EventHub.Scan scan = hub.scan(position, filter, 1);
    if (scan == EventHub.Scan.NOT_READY) {
      return null; // the feed wakes every subscriber after its first read
    }
    if (scan == EventHub.Scan.BEHIND) {
      if (live) {
        LOG.infof(
            "disconnecting an event stream at seq %d: its client fell %d events behind, out of"
                + " the window kept in memory (it resumes with Last-Event-ID)",
            position, hub.head() - position);
        abort();
      } else {
        readPage();
      }
      return null;
    }
    live = true;
    position = scan.position();
    if (scan.events().isEmpty()) {
      return null;
    }
    EventHub.HubEvent e = scan.events().get(0);
    return frame(e.seq(), e.type(), e.json());
  }

  private OutboundSseEvent frame(long seq, String type, String json) {
    return sse.newEventBuilder().id(Long.toString(seq)).name(type).data(json).build();
  }

  private void readPage() {
    if (!work.tryTakeCatchUpPermit()) {
      context.owner().setTimer(PERMIT_RETRY_MILLIS, id -> schedule());
      return;
    }
    holdsPermit = true;
    reading = true;
    long from = position;
    long headBefore = hub.head();
    try {
      work.execute(
          () -> {
            try {
              List<StoredEvent> found = hub.readPage(from, filter, PAGE);
              context.runOnContext(v -> pageRead(found, headBefore));
            } catch (RuntimeException e) {
              context.runOnContext(v -> pageFailed(e));
            }
          });
    } catch (RejectedExecutionException e) {
      pageFailed(e);
    }
  }

  private void pageRead(List<StoredEvent> found, long headBefore) {
    reading = false;
    if (isEnded()) {
      returnPermit();
      return;
    }
    page.addAll(found);
    // a short page saw every match up to what the feed had read before it: skip there
    pageFloor = found.size() < PAGE ? headBefore : -1;
    if (page.isEmpty()) {
      finishPage();
    }
    schedule();
  }

  private void pageFailed(RuntimeException e) {
    reading = false;
    returnPermit();
    LOG.warnf(
        "closing an event stream at seq %d: older events cannot be read (%s)",
        position, e.getMessage());
    abort();
  }

  private void finishPage() {
    if (pageFloor > position) {
      position = pageFloor;
    }
    pageFloor = -1;
    returnPermit();
  }

  private void returnPermit() {
    if (holdsPermit) {
      holdsPermit = false;
      work.returnCatchUpPermit();
    }
  }

  @Override
  protected void closed() {
    hub.remove(this);
    page.clear();
    if (!reading) {
      returnPermit(); // an open read returns it when it comes back
    }
  }
}
