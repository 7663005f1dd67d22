package io.kaapana.workflow.service.streams;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;

/**
 * What the two live streams (events, log follows) share: one subscriber (the HTTP layer, which asks
 * for the next frame once the previous one reached the socket), all state confined to the
 * connection's Vert.x context, a slot of {@link StreamSlots}, keep-alive comments while idle, and a
 * stall limit for clients that stop reading. No thread is held between frames.
 */
abstract class SseStream implements Flow.Publisher<OutboundSseEvent>, Flow.Subscription {
  private static final Logger LOG = Logger.getLogger(SseStream.class);
  static final long RECONNECT_MILLIS = 2000;

  protected final Sse sse;
  protected final Context context;
  private final Runnable disconnect;
  private final StreamSlots.Slot slot;
  private final long keepAliveMillis;
  private final long stallMillis;
  private final String name;

  private Flow.Subscriber<? super OutboundSseEvent> downstream;
  private long demand;
  private boolean draining;
  private boolean preambleSent;
  private long lastFrameAt = System.currentTimeMillis();
  private volatile boolean ended;

  SseStream(
      String name,
      Sse sse,
      Context context,
      Runnable disconnect,
      StreamSlots.Slot slot,
      StreamSettings settings) {
    this.name = name;
    this.sse = sse;
    this.context = context;
    this.disconnect = disconnect;
    this.slot = slot;
    this.keepAliveMillis = settings.keepAlive().toMillis();
    this.stallMillis = settings.stallTimeout().toMillis();
    slot.attach(this);
  }

  @Override
  public void subscribe(Flow.Subscriber<? super OutboundSseEvent> subscriber) {
    context.runOnContext(
        v -> {
          if (downstream != null) {
            subscriber.onError(new IllegalStateException("a stream has one subscriber"));
            return;
          }
          downstream = subscriber;
          subscriber.onSubscribe(this);
          opened();
        });
  }

  @Override
  public void request(long n) {
    context.runOnContext(
        v -> {
          demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
          drain();
        });
  }

  @Override
  public void cancel() {
    // the client went away (or the HTTP layer gave up): stop everything this stream started
    context.runOnContext(v -> end());
  }

  /** The request's Vert.x context, where a new stream keeps its state. */
  static Context requestContext(Vertx vertx) {
    Context current = Vertx.currentContext();
    return current != null ? current : vertx.getOrCreateContext();
  }

  /** Asks for another look at what can be sent; from any thread. */
  protected final void schedule() {
    if (!ended) {
      context.runOnContext(v -> drain());
    }
  }

  /** Every few seconds: keep-alives while idle, and the end of a stream nobody reads. */
  final void checkIdle(long now) {
    context.runOnContext(
        v -> {
          if (ended || downstream == null) {
            return;
          }
          if (demand == 0 && now - lastFrameAt > stallMillis) {
            LOG.infof(
                "closing %s: its client read nothing for %d s (it can resume where it stopped)",
                name, stallMillis / 1000);
            abort();
          } else if (demand > 0 && now - lastFrameAt >= keepAliveMillis) {
            send(sse.newEventBuilder().comment("keep-alive").build());
          }
        });
  }

  private void drain() {
    if (draining || ended || downstream == null) {
      return;
    }
    draining = true;
    try {
      if (!preambleSent && demand > 0) {
        preambleSent = true;
        send(sse.newEventBuilder().comment("stream open").reconnectDelay(RECONNECT_MILLIS).build());
      }
      while (demand > 0 && !ended) {
        OutboundSseEvent next = next();
        if (next == null) {
          break;
        }
        send(next);
      }
    } finally {
      draining = false;
    }
  }

  private void send(OutboundSseEvent frame) {
    demand--;
    lastFrameAt = System.currentTimeMillis();
    downstream.onNext(frame);
  }

  /** Called once on the context after the subscriber is attached. */
  protected abstract void opened();

  /** The next frame to send, or null when there is none now ({@link #schedule()} comes later). */
  protected abstract OutboundSseEvent next();

  /** Releases what the stream holds beyond its slot; called once, on the context. */
  protected abstract void closed();

  /** Ends the stream normally after the frames sent so far. */
  protected final void complete() {
    if (end()) {
      downstream.onComplete();
    }
  }

  /** Drops the connection: for a client too far behind or not reading, which cannot get more. */
  protected final void abort() {
    if (end()) {
      disconnect.run();
    }
  }

  protected final boolean isEnded() {
    return ended;
  }

  private boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    slot.release();
    try {
      closed();
    } catch (RuntimeException e) {
      LOG.debugf(e, "closing %s", name);
    }
    return true;
  }
}
