package io.kaapana.workflow.service.streams;

import io.kaapana.workflow.service.rest.TransportProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams and log follows of this process: counted against {@code
 * kaapana.streams.max-concurrent} (one more is refused with 429 {@code too-many-streams}), and
 * visited every few seconds for keep-alives and the stall limit.
 */
@ApplicationScoped
public class StreamSlots {
  private static final long TICK_MILLIS = 5000;

  private final int max;
  private final Vertx vertx;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
  private long timer = -1;

  public StreamSlots(StreamSettings settings, Vertx vertx, MeterRegistry metrics) {
    this.max = settings.maxConcurrent();
    this.vertx = vertx;
    Gauge.builder("kaapana_streams_open", open, AtomicInteger::doubleValue)
        .description("Open event streams and log follows of this instance")
        .register(metrics);
  }

  void start(@Observes StartupEvent event) {
    timer =
        vertx.setPeriodic(
            TICK_MILLIS,
            id -> {
              long now = System.currentTimeMillis();
              streams.forEach(s -> s.checkIdle(now));
            });
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Takes a slot or refuses the stream; the stream releases it exactly once when it ends. */
  public Slot acquire() {
    while (true) {
      int current = open.get();
      if (current >= max) {
        throw new TransportProblem.Refusal(
            TransportProblem.TOO_MANY_STREAMS,
            "this service instance has "
                + max
                + " open streams, its limit (kaapana.streams.max-concurrent); retry later");
      }
      if (open.compareAndSet(current, current + 1)) {
        return new Slot();
      }
    }
  }

  /** Open streams of this instance. */
  public int open() {
    return open.get();
  }

  /** One open stream's place. */
  public final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();
    private SseStream stream;

    void attach(SseStream stream) {
      this.stream = stream;
      streams.add(stream);
    }

    /** Idempotent. */
    void release() {
      if (released.compareAndSet(false, true)) {
        if (stream != null) {
          streams.remove(stream);
        }
        open.decrementAndGet();
      }
    }
  }
}
