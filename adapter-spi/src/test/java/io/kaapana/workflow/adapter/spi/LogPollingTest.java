package io.kaapana.workflow.adapter.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogPollingTest {
  private static final LogQuery QUERY =
      new LogQuery(new RunRef("r", null, null, 1), "t", null, 1, null, 10);

  @Test
  void readsAgainFromTheLastCursorUntilALineComes() throws Exception {
    List<String> cursorsAsked = new ArrayList<>();
    LogPage page =
        LogPolling.follow(
            query -> {
              cursorsAsked.add(query.cursor());
              return cursorsAsked.size() < 3
                  ? new LogPage(List.of(), "c" + cursorsAsked.size(), false)
                  : new LogPage(List.of(line("ready")), "c3", false);
            },
            QUERY,
            Duration.ofSeconds(5),
            Duration.ofMillis(10));
    assertThat(page.lines()).extracting(LogPage.LogLine::message).containsExactly("ready");
    assertThat(cursorsAsked).containsExactly(null, "c1", "c2");
  }

  @Test
  void givesUpWithAnEmptyPageAfterTheWaitAndStopsAtACompleteOne() throws Exception {
    long started = System.nanoTime();
    LogPage idle =
        LogPolling.follow(
            query -> new LogPage(List.of(), "same", false),
            QUERY,
            Duration.ofMillis(300),
            Duration.ofMillis(50));
    assertThat(idle.lines()).isEmpty();
    assertThat(idle.complete()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));

    int[] reads = {0};
    LogPage ended =
        LogPolling.follow(
            query -> {
              reads[0]++;
              return new LogPage(List.of(), "end", true);
            },
            QUERY,
            Duration.ofSeconds(5),
            Duration.ofMillis(10));
    assertThat(ended.complete()).isTrue();
    assertThat(reads[0]).isEqualTo(1);
  }

  private static LogPage.LogLine line(String message) {
    return new LogPage.LogLine(Instant.EPOCH, LogPage.Severity.INFO, message, Map.of());
  }
}
