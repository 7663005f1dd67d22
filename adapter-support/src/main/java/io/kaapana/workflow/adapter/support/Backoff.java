package io.kaapana.workflow.adapter.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before trying again after failures in a row: the base doubles from {@code
 * initial} up to {@code max}, and the wait is drawn between half the base and the base ("equal
 * jitter"), so that many adapters or runs that failed together do not all come back at the same
 * moment.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private int failures;

  public Backoff(long initialMillis, long maxMillis) {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("need 1 <= initial <= max");
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
  }

  /** The wait after one more failure. */
  public synchronized long next() {
    failures++;
    return delay(initialMillis, maxMillis, failures);
  }

  /** After a success: the next failure waits the shortest again. */
  public synchronized void reset() {
    failures = 0;
  }

  /** The wait after the {@code failures}-th failure in a row (1 for the first). */
  public static long delay(long initialMillis, long maxMillis, int failures) {
    long base = initialMillis;
    for (int i = 1; i < failures && base < maxMillis; i++) {
      base *= 2;
    }
    base = Math.min(base, maxMillis);
    long half = base / 2;
    return half + ThreadLocalRandom.current().nextLong(base - half + 1);
  }
}
