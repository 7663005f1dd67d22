package io.kaapana.workflow.client.model;

import java.util.List;

/** What a bulk event did. */
public record BulkResult(int matched, int applied, List<BulkRefusal> refused, boolean dryRun) {}
