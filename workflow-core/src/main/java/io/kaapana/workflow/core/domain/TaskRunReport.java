package io.kaapana.workflow.core.domain;

import java.time.Instant;

/** What an adapter observed of one task in the engine. */
public record TaskRunReport(
    String taskTitle,
    TaskRunState state,
    int attempt,
    String externalId,
    Instant startedAt,
    Instant finishedAt,
    String statusMessage) {}
