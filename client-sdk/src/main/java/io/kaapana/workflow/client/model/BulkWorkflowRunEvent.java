package io.kaapana.workflow.client.model;

import java.util.List;

/** The body of {@code POST /v1/bulk/workflow-run-events}. */
public record BulkWorkflowRunEvent(
    String labelSelector,
    List<RunState> lifecycleStatus,
    RequestedAction type,
    String reason,
    RetryScope scope,
    Boolean force,
    Boolean dryRun) {}
