package io.kaapana.workflow.service.claims;

import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.service.persistence.ChangeSignal;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Long-polling claims without a thread per waiting adapter: a claim looks for work once; while
 * there is none it waits on timers and on this process's commit signal, and looks again on a worker
 * (once a second at least, for work committed through other replicas). A claim whose caller has
 * gone looks no more, and gives back at once the runs it took but could not hand over. One adapter
 * id has one waiting claim: a newer one ends the older with an empty answer.
 */
@ApplicationScoped
public class ClaimWaits {
  private static final Logger LOG = Logger.getLogger(ClaimWaits.class);

  /** How often a waiting claim looks again, to see work committed by other replicas. */
  private static final long REPOLL_MILLIS = 1000;

  private final ClaimService claims;
  private final ChangeSignal signal;
  private final Vertx vertx;
  private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();

  public ClaimWaits(ClaimService claims, ChangeSignal signal, Vertx vertx) {
    this.claims = claims;
    this.signal = signal;
    this.vertx = vertx;
  }

  /** Work for {@code adapterId} as soon as there is some, or empty lists after the wait. */
  public CompletionStage<Claim> claim(
      String adapterId, int limit, int waitSeconds, RoutingContext routing) {
    Waiter waiter = new Waiter(adapterId, limit, System.currentTimeMillis() + waitSeconds * 1000L);
    routing.addEndHandler(done -> waiter.exchangeEnded(done.failed()));
    waiter.look(true);
    return waiter.answer;
  }

  /** Claims that are waiting now (for tests and metrics). */
  public int waitingCount() {
    return waiting.size();
  }

  private final class Waiter {
    final String adapterId;
    final int limit;
    final long deadline;
    final CompletableFuture<Claim> answer = new CompletableFuture<>();
    final Runnable wake = () -> look(false);
    private boolean looking;
    private boolean lookAgain;
    private boolean done;
    private boolean callerGone;
    private boolean waitingStarted;
    private long repollTimer = -1;
    private long deadlineTimer = -1;
    private Claim delivered;

    Waiter(String adapterId, int limit, long deadline) {
      this.adapterId = adapterId;
      this.limit = limit;
      this.deadline = deadline;
    }

    void look(boolean first) {
      synchronized (this) {
        if (done || callerGone) {
          return;
        }
        if (looking) {
          lookAgain = true;
          return;
        }
        looking = true;
      }
      vertx
          .<Claim>executeBlocking(() -> claims.look(adapterId, limit, first).orElse(null), false)
          .onComplete(
              result -> {
                if (result.failed()) {
                  finish(null, result.cause());
                } else {
                  looked(result.result());
                }
              });
    }

    /** {@code claim}: null when the adapter is no longer active. */
    private void looked(Claim claim) {
      boolean again;
      boolean gone;
      synchronized (this) {
        looking = false;
        again = lookAgain;
        lookAgain = false;
        gone = callerGone;
      }
      if (gone) {
        if (claim != null && !claim.runs().isEmpty()) {
          giveBack(claim, "its caller left while it looked");
        }
        finish(Claim.EMPTY, null);
        return;
      }
      if (claim == null) {
        finish(Claim.EMPTY, null); // the adapter went LOST while it waited
        return;
      }
      if (!claim.isEmpty() || System.currentTimeMillis() >= deadline) {
        finish(claim, null);
        return;
      }
      startWaiting();
      if (again) {
        look(false);
      }
    }

    private void startWaiting() {
      synchronized (this) {
        if (waitingStarted || done) {
          return;
        }
        waitingStarted = true;
        repollTimer = vertx.setPeriodic(REPOLL_MILLIS, id -> look(false));
        deadlineTimer =
            vertx.setTimer(
                Math.max(1, deadline - System.currentTimeMillis()),
                id -> finish(Claim.EMPTY, null));
      }
      signal.listen(wake);
      Waiter older = waiting.put(adapterId, this);
      if (older != null && older != this) {
        older.finish(Claim.EMPTY, null); // a newer claim of the same adapter replaces it
      }
      synchronized (this) {
        if (!done) {
          return;
        }
      }
      signal.unlisten(wake); // finished while it started waiting
      waiting.remove(adapterId, this);
    }

    /** From the HTTP layer: the exchange is over, answered or not. */
    void exchangeEnded(boolean failed) {
      Claim undelivered;
      synchronized (this) {
        if (!failed) {
          return;
        }
        callerGone = true;
        undelivered = delivered;
        delivered = null;
      }
      if (undelivered != null && !undelivered.runs().isEmpty()) {
        giveBack(undelivered, "its answer could not be sent");
      }
      finish(Claim.EMPTY, null);
    }

    private void giveBack(Claim claim, String why) {
      vertx
          .<Integer>executeBlocking(() -> claims.giveBack(adapterId, claim.runs()), false)
          .onComplete(
              released -> {
                if (released.failed()) { // a success is logged as runs.released
                  LOG.warnf(
                      "claim of adapter %s: %s, and its runs could not be given back (%s); their"
                          + " lease expires with the adapter's heartbeats",
                      adapterId, why, released.cause().getMessage());
                }
              });
    }

    private void finish(Claim claim, Throwable failure) {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        if (claim != null && !callerGone) {
          delivered = claim;
        }
        if (repollTimer >= 0) {
          vertx.cancelTimer(repollTimer);
        }
        if (deadlineTimer >= 0) {
          vertx.cancelTimer(deadlineTimer);
        }
      }
      waiting.remove(adapterId, this);
      signal.unlisten(wake);
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(claim);
      }
    }
  }
}
