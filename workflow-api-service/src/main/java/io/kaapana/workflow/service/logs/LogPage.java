package io.kaapana.workflow.service.logs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of task log lines; {@code complete} is true once the attempt's log will not grow. */
@Schema(name = "LogPage")
public record LogPage(List<LogLine> lines, String nextCursor, boolean complete) {

  @Schema(name = "LogLine")
  public record LogLine(
      Instant time, Severity severity, String message, Map<String, Object> metadata) {}

  public enum Severity {
    DEBUG,
    INFO,
    WARNING,
    ERROR,
    CRITICAL
  }
}
