package io.kaapana.workflow.service.persistence;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Which failures mean "the database cannot be used right now" (a retryable 503, not a bug), and one
 * WARN line per outage instead of one ERROR per request.
 */
public final class DatabaseFaults {
  private static final Logger LOG = Logger.getLogger(DatabaseFaults.class);
  private static final long REPEAT_MILLIS = 60_000;

  /** Bounds the search through a (possibly cyclic) graph of causes and suppressed throwables. */
  private static final int MAX_THROWABLES = 64;

  private static final AtomicLong lastWarned = new AtomicLong();

  private DatabaseFaults() {}

  /**
   * Connection failures (08…), the server shutting down or crashed (57P01, 57P02), starting up or
   * in recovery (57P03), too many connections (53300), a pool that could not hand out a connection
   * in time, and read-only or standby errors during a fail-over (25006, 57P04).
   *
   * <p>Causes and suppressed throwables are both searched: a commit whose connection dies ends as
   * the transaction manager's {@code HeuristicMixedException}, which carries the driver's error
   * only as a suppressed throwable.
   */
  public static boolean isUnavailable(Throwable failure) {
    return anyInChain(
        failure,
        t ->
            (t instanceof SQLException sql && meansUnavailable(sql))
                || t instanceof java.net.ConnectException);
  }

  /**
   * Whether the failure passed through the database layer: the driver, the pool or the transaction
   * manager. Such a failure may mean an outage even when it does not say so (see {@link
   * DatabaseReachability}).
   */
  public static boolean cameFromTheDatabase(Throwable failure) {
    return anyInChain(
        failure,
        t ->
            t instanceof SQLException
                || t instanceof javax.transaction.xa.XAException
                || t instanceof jakarta.transaction.SystemException
                || t instanceof jakarta.transaction.RollbackException
                || t instanceof jakarta.transaction.HeuristicMixedException
                || t instanceof jakarta.transaction.HeuristicRollbackException);
  }

  /** Whether the failure, a suppressed throwable or a cause of either (at most 64) matches. */
  private static boolean anyInChain(Throwable failure, Predicate<Throwable> matches) {
    if (failure == null) {
      return false;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>();
    pending.add(failure);
    while (!pending.isEmpty() && seen.size() < MAX_THROWABLES) {
      Throwable t = pending.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (matches.test(t)) {
        return true;
      }
      pending.addAll(Arrays.asList(t.getSuppressed()));
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
    }
    return false;
  }

  private static boolean meansUnavailable(SQLException sql) {
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("57P04")
        || state.equals("53300")
        || state.equals("25006")) {
      return true;
    }
    String message = sql.getMessage() == null ? "" : sql.getMessage();
    return message.contains("acquisition timeout"); // Agroal: no connection could be had
  }

  /** Logs that the database is unavailable: at WARN once a minute at most, else at DEBUG. */
  public static void warn(String where, Throwable failure) {
    long now = System.currentTimeMillis();
    long last = lastWarned.get();
    if (now - last >= REPEAT_MILLIS && lastWarned.compareAndSet(last, now)) {
      LOG.warnf(
          "the database is unavailable (%s: %s); requests get 503 with Retry-After until it is back",
          where, rootMessage(failure));
    } else {
      LOG.debugf("database unavailable at %s: %s", where, rootMessage(failure));
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
