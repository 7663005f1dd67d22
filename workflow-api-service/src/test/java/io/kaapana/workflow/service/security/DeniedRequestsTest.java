package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.core.fakes.Fakes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refusals are logged one line each, up to the limit a minute, and the rest are counted. */
class DeniedRequestsTest {
  private final List<String> lines = new ArrayList<>();
  private final Logger operations = Logger.getLogger("kaapana.operations");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private final Fakes.MutableClock clock = new Fakes.MutableClock();

  @BeforeEach
  void listen() {
    operations.addHandler(capture);
  }

  @AfterEach
  void stop() {
    operations.removeHandler(capture);
  }

  @Test
  void atMostTheLimitAMinuteAndTheNextMinuteSaysHowManyWereLeftOut() {
    DeniedRequests denied = new DeniedRequests(3, clock);
    for (int i = 0; i < 5; i++) {
      denied.log(401, "GET", "/v1/workflow-runs", "anonymous", "no token");
    }
    assertThat(lines).hasSize(3).allMatch(l -> l.startsWith("request.denied status=401"));

    clock.advance(Duration.ofSeconds(60));
    denied.log(403, "POST", "/v1/admin/purge", "sub-1", "needs [admin]");
    assertThat(lines.subList(3, lines.size()))
        .containsExactly(
            "request.denied.left_out count=2 limit_per_minute=3",
            "request.denied status=403 method=POST path=/v1/admin/purge caller=sub-1"
                + " reason=\"needs [admin]\"");
  }
}
