package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogPage.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Airflow's task logs as Kaapana log lines, and the adapter's own log cursor.
 *
 * <p>Airflow 2 answers with text — in 2.x the text is a Python literal of {@code [(host, text)]} —
 * whose lines look like {@code [2026-11-26T20:20:47.067+0000] {subprocess.py:106} INFO - message};
 * lines without that head (tracebacks) continue the line before. Airflow 3 answers with structured
 * entries ({@code event}, {@code timestamp}, {@code level}, more keys) or plain strings.
 */
final class AirflowLogs {

  private static final Pattern AIRFLOW_2_LINE =
      Pattern.compile(
          "^\\[(\\d{4}-\\d{2}-\\d{2}[T ][0-9:.,]+(?:[+-]\\d{2}:?\\d{2}|Z)?)]\\s+"
              + "(?:\\{([^}]*)}\\s+)?([A-Z]+)\\s+-\\s?(.*)$");
  private static final Pattern BARE_LEVEL =
      Pattern.compile("^\\s*(DEBUG|INFO|WARNING|ERROR|CRITICAL)\\s+-\\s?(.*)$");
  private static final DateTimeFormatter OFFSET_WITHOUT_COLON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSS][.SSS]xx", Locale.ROOT);

  private AirflowLogs() {}

  /** The position in a try's log: Airflow's continuation token and lines already handed out. */
  record Cursor(int attempt, String token, int skip) {
    String encode() {
      com.fasterxml.jackson.databind.node.ObjectNode json = AirflowHttp.object();
      json.put("a", attempt);
      json.put("s", skip);
      if (token != null) {
        json.put("t", token);
      }
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text, int attempt) throws AdapterException {
      if (text == null || text.isEmpty()) {
        return new Cursor(attempt, null, 0);
      }
      try {
        JsonNode node =
            AirflowHttp.JSON.readTree(
                new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        if (node == null
            || !node.path("a").canConvertToInt()
            || !node.path("s").canConvertToInt()
            || node.path("s").asInt() < 0
            || node.has("t") && !node.get("t").isTextual()) {
          throw new IllegalArgumentException("not a cursor");
        }
        if (node.path("a").asInt() != attempt) {
          throw new AdapterException(
              ErrorCode.INVALID_REQUEST, "the cursor belongs to another attempt of the task");
        }
        return new Cursor(
            attempt, node.has("t") ? node.get("t").asText() : null, node.path("s").asInt());
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw new AdapterException(
            ErrorCode.INVALID_REQUEST, "the cursor was not handed out by this adapter");
      }
    }
  }

  /** Airflow 2's {@code content}: the Python literal of host/text pairs, or plain text. */
  static List<LogLine> parseAirflow2(String content, Instant fallbackTime) {
    StringBuilder text = new StringBuilder();
    List<String> pieces = PythonLiteral.textsOfPairs(content);
    if (pieces == null) {
      text.append(content);
    } else {
      pieces.forEach(text::append);
    }
    return parseText(text.toString(), fallbackTime);
  }

  /** Log text in Airflow 2's line format. */
  static List<LogLine> parseText(String text, Instant fallbackTime) {
    List<LogLine> lines = new ArrayList<>();
    Instant time = fallbackTime;
    Severity severity = Severity.INFO;
    for (String raw : text.split("\r?\n", -1)) {
      if (raw.isBlank()) {
        continue;
      }
      Matcher full = AIRFLOW_2_LINE.matcher(raw);
      if (full.matches()) {
        if (isGroupMarker(full.group(4))) {
          continue;
        }
        time = parseTime(full.group(1), time);
        severity = severity(full.group(3), severity);
        Map<String, String> metadata =
            full.group(2) == null ? Map.of() : Map.of("location", full.group(2));
        lines.add(new LogLine(time, severity, full.group(4), metadata));
        continue;
      }
      Matcher bare = BARE_LEVEL.matcher(raw);
      if (bare.matches()) {
        if (isGroupMarker(bare.group(2))) {
          continue;
        }
        severity = severity(bare.group(1), severity);
        lines.add(new LogLine(time, severity, bare.group(2), Map.of()));
      } else if (raw.startsWith("***")) {
        lines.add(new LogLine(time, Severity.DEBUG, raw, Map.of("source", "airflow")));
      } else {
        // A traceback or a multi-line message: it belongs to the line before.
        lines.add(new LogLine(time, severity, raw, Map.of("continuation", "true")));
      }
    }
    return lines;
  }

  /** Airflow 3's {@code content}: structured entries or strings. */
  static List<LogLine> parseAirflow3(JsonNode content, Instant fallbackTime) {
    List<LogLine> lines = new ArrayList<>();
    if (content == null || content.isNull()) {
      return lines;
    }
    if (content.isTextual()) {
      return parseText(content.asText(), fallbackTime);
    }
    Instant time = fallbackTime;
    Severity severity = Severity.INFO;
    for (JsonNode entry : content) {
      if (entry.isTextual()) {
        lines.addAll(parseText(entry.asText(), time));
        continue;
      }
      String event = entry.path("event").asText("");
      if (isGroupMarker(event)) {
        continue;
      }
      if (entry.path("timestamp").isTextual()) {
        time = parseTime(entry.path("timestamp").asText(), time);
      }
      severity =
          entry.path("level").isTextual()
              ? severity(entry.path("level").asText(), severity)
              : severity;
      Map<String, String> metadata = new LinkedHashMap<>();
      entry
          .fields()
          .forEachRemaining(
              field -> {
                String key = field.getKey();
                if (!key.equals("event") && !key.equals("timestamp") && !key.equals("level")) {
                  JsonNode value = field.getValue();
                  metadata.put(key, value.isTextual() ? value.asText() : value.toString());
                }
              });
      // Airflow's own "source details" header lists files: it is the engine talking.
      Severity lineSeverity = event.startsWith("::") ? Severity.DEBUG : severity;
      for (String part : event.split("\r?\n", -1)) {
        if (!part.isEmpty() || event.isEmpty()) {
          lines.add(new LogLine(time, lineSeverity, part, metadata));
        }
      }
    }
    return lines;
  }

  /**
   * Whether Airflow's token says the log has ended ({@code end_of_log} in its signed JSON payload);
   * null when the token cannot be read, which the caller treats as "ask the task's state".
   */
  static Boolean endOfLog(String token) {
    if (token == null) {
      return null;
    }
    int dot = token.indexOf('.');
    String payload = dot < 0 ? token : token.substring(0, dot);
    try {
      JsonNode node =
          AirflowHttp.JSON.readTree(
              new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
      JsonNode end = node == null ? null : node.get("end_of_log");
      return end == null || !end.isBoolean() ? null : end.asBoolean();
    } catch (IllegalArgumentException | java.io.IOException e) {
      return null;
    }
  }

  /** Airflow's markers for folding log sections in its UI; not lines of the task. */
  private static boolean isGroupMarker(String message) {
    String trimmed = message.strip();
    return trimmed.startsWith("::group::") || trimmed.startsWith("::endgroup::");
  }

  private static Severity severity(String level, Severity previous) {
    return switch (level.toUpperCase(Locale.ROOT)) {
      case "DEBUG", "TRACE", "NOTSET" -> Severity.DEBUG;
      case "INFO" -> Severity.INFO;
      case "WARNING", "WARN" -> Severity.WARNING;
      case "ERROR", "EXCEPTION" -> Severity.ERROR;
      case "CRITICAL", "FATAL" -> Severity.CRITICAL;
      default -> previous;
    };
  }

  static Instant parseTime(String text, Instant previous) {
    String value = text.strip().replace(' ', 'T').replace(',', '.');
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(value, OFFSET_WITHOUT_COLON).toInstant();
      } catch (DateTimeParseException again) {
        try {
          return Instant.parse(value.endsWith("Z") ? value : value + "Z");
        } catch (DateTimeParseException last) {
          return previous;
        }
      }
    }
  }
}
