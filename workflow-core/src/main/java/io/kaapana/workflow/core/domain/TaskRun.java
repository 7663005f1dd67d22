package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.UUID;

/** One task of a run; a new attempt of the task is the same task run with a higher attempt. */
public record TaskRun(
    UUID id,
    UUID workflowRunId,
    String taskTitle,
    TaskRunState state,
    int attempt,
    String externalId,
    String statusMessage,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt) {}
