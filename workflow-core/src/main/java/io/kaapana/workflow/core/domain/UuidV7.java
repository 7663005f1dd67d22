package io.kaapana.workflow.core.domain;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, a 12-bit counter, then random bits.
 * Within one process ids strictly increase (RFC 9562 §6.2, method 1), so ids made in the same
 * millisecond still sort in creation order.
 */
public final class UuidV7 {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int COUNTER_MAX = 0xFFF;

  private static long lastMillis = -1;
  private static int counter;

  private UuidV7() {}

  public static UUID next(Clock clock) {
    long millis;
    int sequence;
    synchronized (UuidV7.class) {
      millis = Math.max(clock.millis(), lastMillis);
      if (millis == lastMillis) {
        if (counter == COUNTER_MAX) {
          millis++; // counter exhausted: borrow the next millisecond
          counter = RANDOM.nextInt(1 << 10);
        } else {
          counter++;
        }
      } else {
        // Start low in the counter space so a burst has room to count up.
        counter = RANDOM.nextInt(1 << 10);
      }
      lastMillis = millis;
      sequence = counter;
    }
    long msb = (millis << 16) | (0x7L << 12) | sequence;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
