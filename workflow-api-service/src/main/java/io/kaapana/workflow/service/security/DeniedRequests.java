package io.kaapana.workflow.service.security;

import io.kaapana.workflow.service.ops.OperationsLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One {@code request.denied} line per refused request (401, 403) in the operations log, at most
 * {@code kaapana.auth.denied-lines-per-minute} (default 60) a minute: a client hammering with bad
 * tokens cannot flood the log. The first line of the next minute says how many were left out.
 */
@ApplicationScoped
public class DeniedRequests {
  private final int linesPerMinute;
  private final Clock clock;
  private final AtomicLong minute = new AtomicLong();
  private final AtomicLong logged = new AtomicLong();
  private final AtomicLong leftOut = new AtomicLong();

  public DeniedRequests(
      @ConfigProperty(name = "kaapana.auth.denied-lines-per-minute", defaultValue = "60")
          int linesPerMinute,
      Clock clock) {
    this.linesPerMinute = linesPerMinute;
    this.clock = clock;
  }

  /**
   * @param status 401 or 403
   * @param who the caller's subject, or {@code anonymous}
   */
  public void log(int status, String method, String path, String who, String why) {
    long now = clock.millis() / 60_000;
    long previous = minute.get();
    if (previous != now && minute.compareAndSet(previous, now)) {
      logged.set(0);
      long skipped = leftOut.getAndSet(0);
      if (skipped > 0) {
        OperationsLog.now(
            Logger.Level.WARN,
            "request.denied.left_out",
            OperationsLog.fields("count", skipped, "limit_per_minute", linesPerMinute));
      }
    }
    if (logged.incrementAndGet() > linesPerMinute) {
      leftOut.incrementAndGet();
      return;
    }
    OperationsLog.now(
        Logger.Level.INFO,
        "request.denied",
        OperationsLog.fields(
            "status", status, "method", method, "path", path, "caller", who, "reason", why));
  }
}
