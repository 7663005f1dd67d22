package io.kaapana.workflow.client.model;

import java.time.Instant;

/** A holder's report on one task run. */
public record TaskRunReport(
    String taskTitle,
    TaskRunState lifecycleStatus,
    Integer attempt,
    String externalId,
    Instant startedAt,
    Instant finishedAt,
    String statusMessage) {}
