package io.kaapana.workflow.client.model;

import java.time.Instant;

/** The body of {@code POST /v1/admin/purge}. */
public record PurgeRequest(
    Boolean archivedWorkflows, PurgeRuns runs, Instant eventsBefore, Boolean dryRun) {}
