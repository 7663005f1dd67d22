package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogPage.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pod log lines (with Kubernetes' RFC 3339 timestamps) as Kaapana log lines; the cursor. */
final class ArgoLogs {

  private static final Pattern TIMESTAMPED = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\S+Z) (.*)$");
  private static final Pattern CURSOR = Pattern.compile("a(\\d+)s(\\d+)");

  private ArgoLogs() {}

  static LogLine line(String content, String pod) {
    Matcher timestamped = TIMESTAMPED.matcher(content);
    Instant time = Instant.EPOCH;
    String message = content;
    if (timestamped.matches()) {
      try {
        time = Instant.parse(timestamped.group(1));
        message = timestamped.group(2);
      } catch (DateTimeParseException e) {
        // not a timestamp after all: the whole line is the message
      }
    }
    return new LogLine(time, Severity.INFO, message, Map.of("pod", pod));
  }

  static List<LogLine> lines(String text, String pod) {
    List<LogLine> lines = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      if (!raw.isEmpty()) {
        lines.add(line(raw, pod));
      }
    }
    return lines;
  }

  static String encodeCursor(int attempt, int linesHandedOut) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("a" + attempt + "s" + linesHandedOut).getBytes(StandardCharsets.UTF_8));
  }

  /** The lines handed out before, from a cursor of this attempt; 0 without a cursor. */
  static int decodeCursor(String cursor, int attempt) throws AdapterException {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      Matcher m =
          CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (m.matches() && Integer.parseInt(m.group(1)) == attempt) {
        return Integer.parseInt(m.group(2));
      }
    } catch (IllegalArgumentException e) {
      // reported below (NumberFormatException is one too)
    }
    throw new AdapterException(
        ErrorCode.INVALID_REQUEST,
        "the cursor was not handed out by this adapter for this attempt");
  }
}
