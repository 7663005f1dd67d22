package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.UUID;

/** A task run. */
public record TaskRun(
    UUID id,
    UUID workflowRunId,
    String taskTitle,
    TaskRunState lifecycleStatus,
    int attempt,
    String externalId,
    String statusMessage,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt) {}
