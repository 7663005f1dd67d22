package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class OneLineFormatterTest {
  @Test
  void aRecordIsOneLineInUtcWithLineBreaksEscaped() {
    LogRecord record = new LogRecord(Level.WARNING, "run {0}: engine said\nFORGED ERROR");
    record.setParameters(new Object[] {"r-1"});
    record.setInstant(Instant.parse("2026-12-02T12:00:00.123Z"));
    record.setLoggerName("io.kaapana.workflow.adapter.runtime.RunWork");

    String line = new OneLineFormatter().format(record);

    assertThat(line)
        .isEqualTo(
            "2026-12-02T12:00:00.123Z WARNING [io.kaapana.workflow.adapter.runtime.RunWork] run"
                + " r-1: engine said\\nFORGED ERROR"
                + System.lineSeparator());
  }
}
