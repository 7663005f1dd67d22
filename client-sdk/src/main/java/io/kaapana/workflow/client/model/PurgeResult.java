package io.kaapana.workflow.client.model;

/** What a purge deleted (or would delete). */
public record PurgeResult(
    long workflows,
    long workflowRevisions,
    long workflowRuns,
    long taskRuns,
    long events,
    boolean dryRun) {}
