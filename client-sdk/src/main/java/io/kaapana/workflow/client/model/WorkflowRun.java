package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A workflow run. */
public record WorkflowRun(
    UUID id,
    WorkflowReference workflow,
    String workflowEngine,
    Map<String, String> labels,
    Map<String, Object> parameters,
    RunState lifecycleStatus,
    RequestedAction requestedAction,
    String statusMessage,
    int attempt,
    String externalId,
    String adapterId,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Integer> taskRunCounts) {}
