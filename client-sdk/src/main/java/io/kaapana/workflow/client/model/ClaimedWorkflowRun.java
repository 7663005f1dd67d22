package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A run handed to an adapter: the run, its lease, and what to do. {@code traceparent} is the W3C
 * trace context of the request that created the run (null when it was not traced): calls about the
 * run that send it as their {@code traceparent} header join the run's trace.
 */
public record ClaimedWorkflowRun(
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
    Map<String, Integer> taskRunCounts,
    UUID leaseToken,
    Instant leaseExpiresAt,
    ActionRequest actionRequest,
    String traceparent) {
  /** The run without its lease. */
  public WorkflowRun run() {
    return new WorkflowRun(
        id,
        workflow,
        workflowEngine,
        labels,
        parameters,
        lifecycleStatus,
        requestedAction,
        statusMessage,
        attempt,
        externalId,
        adapterId,
        createdAt,
        updatedAt,
        startedAt,
        finishedAt,
        taskRunCounts);
  }
}
