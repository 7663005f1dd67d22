package io.kaapana.workflow.service.config;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * What reaches the log:
 *
 * <ul>
 *   <li>Every message is one line: a CR, LF or other control character that came in with a value (a
 *       request path, a label, a schema keyword, an adapter's answer) is written escaped, so nobody
 *       can forge a log line. Stack traces are not messages and keep their lines.
 *   <li>A client that leaves a live stream is not an error: Quarkus REST logs a failed write to
 *       such a client at ERROR ("Exception in SSE server handling"); when the cause is the
 *       connection being gone, the record is dropped (the stream logs its end at DEBUG).
 * </ul>
 */
@LoggingFilter(name = "log-hygiene")
public final class LogHygiene implements Filter {
  static final String SSE_HANDLER =
      "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

  @Override
  public boolean isLoggable(LogRecord record) {
    if (SSE_HANDLER.equals(record.getLoggerName()) && clientLeft(record.getThrown())) {
      return false;
    }
    if (record instanceof ExtLogRecord ext) {
      String message = ext.getFormattedMessage();
      if (message != null && needsEscaping(message)) {
        ext.setMessage(escape(message), ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      }
    }
    return true;
  }

  /** A write that failed because the peer closed the connection (or reset it). */
  static boolean clientLeft(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof io.vertx.core.http.HttpClosedException
          || t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
      String message = t.getMessage();
      if (t instanceof java.io.IOException
          && message != null
          && (message.contains("Broken pipe")
              || message.contains("Connection reset")
              || message.contains("Connection was closed"))) {
        return true;
      }
    }
    return false;
  }

  static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f || c == '\u2028' || c == '\u2029') {
        return true;
      }
    }
    return false;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append('\t');
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
