package io.kaapana.workflow.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogHygieneTest {
  private static LogRecord sseFailure(Throwable cause) {
    LogRecord record =
        new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it");
    record.setLoggerName(LogHygiene.SSE_HANDLER);
    record.setThrown(cause);
    return record;
  }

  @Test
  void aClientThatLeftAStreamIsNotAnErrorButOtherStreamFailuresStay() {
    LogHygiene filter = new LogHygiene();
    assertThat(filter.isLoggable(sseFailure(new IOException("Broken pipe")))).isFalse();
    assertThat(
            filter.isLoggable(
                sseFailure(new RuntimeException(new IOException("Connection reset by peer")))))
        .isFalse();
    assertThat(filter.isLoggable(sseFailure(new IllegalStateException("cannot serialize"))))
        .isTrue();
    LogRecord elsewhere = new LogRecord(Level.SEVERE, "write failed");
    elsewhere.setLoggerName("io.kaapana.workflow.service.streams.SseStream");
    elsewhere.setThrown(new IOException("Broken pipe"));
    assertThat(filter.isLoggable(elsewhere)).isTrue();
  }
}
