package io.kaapana.workflow.adapter.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A page of log lines of one task attempt.
 *
 * @param lines the lines after the query's cursor, oldest first
 * @param nextCursor where the next read continues; never null (reading from it again returns the
 *     lines written since)
 * @param complete true when the attempt has finished and every line was returned: the log will not
 *     grow
 */
public record LogPage(List<LogLine> lines, String nextCursor, boolean complete) {
  public LogPage {
    lines = List.copyOf(lines);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }

  /** How serious a line is. */
  public enum Severity {
    DEBUG,
    INFO,
    WARNING,
    ERROR,
    CRITICAL
  }

  /**
   * One line.
   *
   * @param time when it was written (the engine's timestamp, or when the adapter captured it)
   * @param severity its severity
   * @param message the text, without the trailing newline
   * @param metadata where it came from, e.g. {@code stream=stderr}
   */
  public record LogLine(
      Instant time, Severity severity, String message, Map<String, String> metadata) {
    public LogLine {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(message, "message");
      metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
  }
}
