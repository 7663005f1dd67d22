package io.kaapana.workflow.adapter.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: time in UTC, level, logger, message with line breaks and other control
 * characters escaped (a value from an engine or a request cannot forge a line), then the stack
 * trace of a failure, if any. Leaves the JVM's default time zone alone.
 */
final class OneLineFormatter extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line =
        new StringBuilder()
            .append(DateTimeFormatter.ISO_INSTANT.format(record.getInstant()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(" [")
            .append(record.getLoggerName())
            .append("] ");
    escape(formatMessage(record), line);
    line.append(System.lineSeparator());
    if (record.getThrown() != null) {
      line.append(stackTrace(record.getThrown()));
    }
    return line.toString();
  }

  /** The failure's stack trace as the JVM prints it. */
  static String stackTrace(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  static void escape(String message, StringBuilder out) {
    if (message == null) {
      return;
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
