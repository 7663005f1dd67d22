package io.kaapana.workflow.service.config;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log message is one line: a CR, LF or other control character that came in with a value (a
 * request path, a label, a schema keyword, an adapter's answer) is written escaped, so nobody can
 * forge a log line. Stack traces are not messages and keep their lines.
 */
@LoggingFilter(name = "escape-line-breaks")
public final class LineBreakEscaper implements Filter {
  @Override
  public boolean isLoggable(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      String message = ext.getFormattedMessage();
      if (message != null && needsEscaping(message)) {
        ext.setMessage(escape(message), ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      }
    }
    return true;
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
