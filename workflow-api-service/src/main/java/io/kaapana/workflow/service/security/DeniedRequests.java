package io.kaapana.workflow.service.security;

import io.kaapana.workflow.service.ops.OperationsLog;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One {@code request.denied} line per refused request (401, 403) in the operations log, at most
 * {@value #LINES_PER_MINUTE} a minute: a client hammering with bad tokens cannot flood the log. The
 * first line of the next minute says how many were left out.
 */
public final class DeniedRequests {
  static final int LINES_PER_MINUTE = 60;

  private static final AtomicLong MINUTE = new AtomicLong();
  private static final AtomicLong LOGGED = new AtomicLong();
  private static final AtomicLong LEFT_OUT = new AtomicLong();

  private DeniedRequests() {}

  /**
   * @param status 401 or 403
   * @param who the caller's subject, or {@code anonymous}
   */
  public static void log(int status, String method, String path, String who, String why) {
    long minute = System.currentTimeMillis() / 60_000;
    long previous = MINUTE.get();
    if (previous != minute && MINUTE.compareAndSet(previous, minute)) {
      LOGGED.set(0);
      long leftOut = LEFT_OUT.getAndSet(0);
      if (leftOut > 0) {
        OperationsLog.now(
            Logger.Level.WARN,
            "request.denied.left_out",
            OperationsLog.fields("count", leftOut, "limit_per_minute", LINES_PER_MINUTE));
      }
    }
    if (LOGGED.incrementAndGet() > LINES_PER_MINUTE) {
      LEFT_OUT.incrementAndGet();
      return;
    }
    OperationsLog.now(
        Logger.Level.INFO,
        "request.denied",
        OperationsLog.fields(
            "status", status, "method", method, "path", path, "caller", who, "reason", why));
  }
}
