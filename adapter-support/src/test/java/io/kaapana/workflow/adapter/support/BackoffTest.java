package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theWaitDoublesUpToTheMaximumWithJitterInTheUpperHalf() {
    Backoff backoff = new Backoff(500, 30_000);
    long[] bases = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
    for (long base : bases) {
      assertThat(backoff.next()).isBetween(base / 2, base);
    }
    backoff.reset();
    assertThat(backoff.next()).isBetween(250L, 500L);
  }

  @Test
  void waitsOfRunsThatFailedTogetherSpreadOut() {
    Set<Long> waits = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      waits.add(Backoff.delay(500, 30_000, 5));
    }
    assertThat(waits)
        .hasSizeGreaterThan(10)
        .allSatisfy(w -> assertThat(w).isBetween(4_000L, 8_000L));
  }
}
