package io.kaapana.workflow.client.model;

/** The body of {@code POST …/task-runs/{id}/events}. */
public record TaskRunEvent(RequestedAction type, String reason) {}
