package io.kaapana.workflow.client.model;

import java.util.List;

/** A page of log lines of one task attempt. */
public record LogPage(List<LogLine> lines, String nextCursor, boolean complete) {}
