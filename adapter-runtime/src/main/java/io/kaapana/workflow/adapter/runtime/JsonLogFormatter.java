package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line ({@code KAAPANA_LOG_JSON=true}), with the field names of the service's
 * JSON log (Quarkus' {@code quarkus-logging-json}): {@code timestamp}, {@code level}, {@code
 * loggerName}, {@code message}, {@code threadName}, {@code mdc} with {@code adapter_id}, {@code
 * run_id} and, inside a trace, {@code traceId} and {@code spanId}, and {@code exception} with the
 * stack trace. JSON escapes every control character, so no value can forge a line.
 */
final class JsonLogFormatter extends Formatter {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String format(LogRecord record) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(record.getInstant()));
    line.put("level", record.getLevel().getName());
    line.put("loggerName", record.getLoggerName());
    line.put("message", formatMessage(record));
    line.put("threadName", Thread.currentThread().getName());
    Map<String, String> mdc = new LinkedHashMap<>();
    String adapterId = LogFields.adapterId();
    if (adapterId != null) {
      mdc.put("adapter_id", adapterId);
    }
    UUID runId = LogFields.runId();
    if (runId != null) {
      mdc.put("run_id", runId.toString());
    }
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      mdc.put("traceId", span.getTraceId());
      mdc.put("spanId", span.getSpanId());
    }
    line.put("mdc", mdc);
    if (record.getThrown() != null) {
      line.put("exception", OneLineFormatter.stackTrace(record.getThrown()));
    }
    try {
      return JSON.writeValueAsString(line) + System.lineSeparator();
    } catch (JsonProcessingException e) { // only strings and maps of strings: cannot happen
      throw new IllegalStateException(e);
    }
  }
}
