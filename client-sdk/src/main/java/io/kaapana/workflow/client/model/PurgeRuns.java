package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;

/** Which settled runs a purge deletes. */
public record PurgeRuns(List<RunState> lifecycleStatus, Instant finishedBefore) {}
