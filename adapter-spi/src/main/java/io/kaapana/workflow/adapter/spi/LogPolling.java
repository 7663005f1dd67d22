package io.kaapana.workflow.adapter.spi;

import java.time.Duration;

/**
 * {@link WorkflowAdapter#followLogs} for engines that cannot push log lines: read, and while
 * nothing new has come and the attempt has not ended, wait a little and read again from where the
 * last read ended.
 */
public final class LogPolling {

  /** One read of a log page, as {@link WorkflowAdapter#readLogs}. */
  @FunctionalInterface
  public interface Reader {
    LogPage read(LogQuery query) throws AdapterException;
  }

  private LogPolling() {}

  /**
   * The first page with lines, or a complete one, or the last (empty) page once {@code maxWait} has
   * passed; its cursor continues after every line handed out.
   */
  public static LogPage follow(Reader reader, LogQuery query, Duration maxWait, Duration interval)
      throws AdapterException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    LogQuery current = query;
    while (true) {
      LogPage page = reader.read(current);
      long left = deadline - System.nanoTime();
      if (!page.lines().isEmpty() || page.complete() || left <= 0) {
        return page;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return page;
      }
      current = current.from(page.nextCursor());
    }
  }
}
