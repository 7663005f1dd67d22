package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.Map;

/** One log line. */
public record LogLine(
    Instant time, Severity severity, String message, Map<String, Object> metadata) {}
