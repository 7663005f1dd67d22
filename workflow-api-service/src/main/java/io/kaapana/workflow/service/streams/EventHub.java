package io.kaapana.workflow.service.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.service.persistence.ChangeSignal;
import io.kaapana.workflow.service.persistence.EventQueries;
import io.kaapana.workflow.service.persistence.EventQueries.Filter;
import io.kaapana.workflow.service.persistence.EventQueries.StoredEvent;
import io.kaapana.workflow.service.rest.dto.EventDto;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One database feed of new events for every event stream of this process (ADR 0023). A single
 * thread reads what was numbered since it last looked (woken by this process's commits, and once a
 * second for other replicas' commits) into a bounded window of recent events, serialised once, and
 * wakes the subscribers; each subscriber takes from the window what its filter matches, as fast as
 * its client reads. A subscriber whose position is older than the window reads from the database
 * page by page until it reaches the window; a live subscriber that the window leaves behind is
 * disconnected and resumes with {@code Last-Event-ID}. Subscribers hold no thread while idle.
 */
@ApplicationScoped
public class EventHub {
  private static final Logger LOG = Logger.getLogger(EventHub.class);
  private static final int FEED_BATCH = 1000;
  private static final int FEED_BATCHES_PER_ROUND = 20;

  /** One event as every subscriber sees it: what filters need, and its JSON written once. */
  record HubEvent(
      long seq,
      String type,
      String objectType,
      UUID workflowRunId,
      Map<String, String> runLabels,
      String json) {
    boolean matches(Filter filter) {
      if (filter.objectType() != null && !filter.objectType().equals(objectType)) {
        return false;
      }
      if (filter.type() != null && !filter.type().equals(type)) {
        return false;
      }
      if (filter.workflowRunId() != null && !filter.workflowRunId().equals(workflowRunId)) {
        return false;
      }
      if (!filter.inScope(workflowRunId, runLabels)) {
        return false;
      }
      if (filter.selector() != null && !filter.selector().isEmpty()) {
        // as the database query: only events of a run, on the run's labels
        return runLabels != null && filter.selector().matches(runLabels);
      }
      return true;
    }

    int weight() {
      return json.length() * 2 + 200;
    }
  }

  /**
   * What a subscriber gets from the window: matching events (at most as many as it asked for) and
   * the position it has now scanned to; or, as a constant, why the window cannot serve it.
   */
  record Scan(List<HubEvent> events, long position) {
    static final Scan BEHIND = new Scan(List.of(), -1);
    static final Scan NOT_READY = new Scan(List.of(), -2);
  }

  /** What the hub asks of a subscriber, from its feed thread. */
  interface Subscriber {
    void wake();
  }

  private final EventQueries events;
  private final ChangeSignal signal;
  private final ObjectMapper mapper;
  private final int windowEvents;
  private final long windowBytes;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

  // the window: events with seq > coveredFrom, up to head, in order; guarded by this
  private final ArrayList<HubEvent> window = new ArrayList<>();
  private int windowStart;
  private long windowWeight;
  private long coveredFrom = -1;
  private volatile long head = -1;

  private volatile boolean running;
  private Thread feed;
  private boolean feedFailing;

  public EventHub(
      EventQueries events, ChangeSignal signal, ObjectMapper mapper, StreamSettings settings) {
    this.events = events;
    this.signal = signal;
    this.mapper = mapper;
    this.windowEvents = settings.windowEvents();
    this.windowBytes = settings.windowBytes();
  }

  void start(@Observes StartupEvent event) {
    running = true;
    feed = new Thread(this::feedLoop, "event-feed");
    feed.setDaemon(true);
    feed.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    signal.signal();
  }

  void add(Subscriber subscriber) {
    subscribers.add(subscriber);
    signal.signal(); // a first subscriber starts the feed at once
  }

  void remove(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** The highest sequence number the feed has read, or -1 before its first read. */
  long head() {
    return head;
  }

  /** The highest sequence number in the database: where a stream that asks for "now" starts. */
  public long latestSeq() {
    return events.latestSeq();
  }

  List<StoredEvent> readPage(long after, Filter filter, int limit) {
    return events.after(after, filter, limit);
  }

  String json(StoredEvent event) {
    try {
      return mapper.writeValueAsString(EventDto.of(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an event as JSON", e);
    }
  }

  /**
   * The events after {@code position} that match, at most {@code max}, and the position scanned to.
   */
  synchronized Scan scan(long position, Filter filter, int max) {
    if (head < 0) {
      return Scan.NOT_READY;
    }
    if (position < coveredFrom) {
      return Scan.BEHIND;
    }
    int i = firstAfter(position);
    List<HubEvent> found = new ArrayList<>(Math.min(max, 8));
    long scanned = Math.max(position, head);
    for (; i < window.size(); i++) {
      HubEvent e = window.get(i);
      if (e.matches(filter)) {
        found.add(e);
        if (found.size() == max) {
          scanned = e.seq();
          break;
        }
      }
    }
    return new Scan(found, scanned);
  }

  /** Index of the first event in the window with seq > position (binary search). */
  private int firstAfter(long position) {
    int lo = windowStart;
    int hi = window.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (window.get(mid).seq() <= position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void feedLoop() {
    while (running) {
      long seen = signal.generation();
      if (subscribers.isEmpty()) {
        reset(); // nobody listens: forget the window rather than keep it current
      } else {
        try {
          poll();
          if (feedFailing) {
            LOG.info("event feed reads the database again");
            feedFailing = false;
          }
        } catch (RuntimeException e) {
          if (!feedFailing) {
            LOG.warnf("event feed cannot read the database (%s); streams wait", e.getMessage());
            feedFailing = true;
          }
        }
      }
      try {
        signal.awaitAfter(seen, 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private synchronized void reset() {
    window.clear();
    windowStart = 0;
    windowWeight = 0;
    coveredFrom = -1;
    head = -1;
  }

  private void poll() {
    if (head < 0) {
      long latest = events.latestSeq();
      synchronized (this) {
        coveredFrom = latest;
        head = latest;
      }
    }
    boolean added = false;
    for (int round = 0; round < FEED_BATCHES_PER_ROUND; round++) {
      List<EventQueries.FeedEvent> batch = events.feed(head, FEED_BATCH);
      if (batch.isEmpty()) {
        break;
      }
      List<HubEvent> converted = new ArrayList<>(batch.size());
      for (EventQueries.FeedEvent f : batch) {
        StoredEvent e = f.event();
        converted.add(
            new HubEvent(
                e.seq(), e.type(), e.objectType(), e.workflowRunId(), f.runLabels(), json(e)));
      }
      append(converted);
      added = true;
      if (batch.size() < FEED_BATCH) {
        break;
      }
    }
    if (added) {
      subscribers.forEach(Subscriber::wake);
    }
  }

  private synchronized void append(List<HubEvent> batch) {
    for (HubEvent e : batch) {
      window.add(e);
      windowWeight += e.weight();
      head = e.seq();
    }
    while (window.size() - windowStart > windowEvents
        || (windowWeight > windowBytes && window.size() - windowStart > 1)) {
      HubEvent evicted = window.get(windowStart);
      window.set(windowStart, null);
      windowStart++;
      windowWeight -= evicted.weight();
      coveredFrom = evicted.seq();
    }
    if (windowStart > 1024 && windowStart > window.size() / 2) {
      window.subList(0, windowStart).clear();
      windowStart = 0;
    }
  }
}
