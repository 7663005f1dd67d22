package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A holder's report on a run. */
public record StatusReport(
    UUID leaseToken,
    RunState lifecycleStatus,
    int attempt,
    String externalId,
    String statusMessage,
    Instant startedAt,
    Instant finishedAt,
    RequestedAction actionDone,
    List<TaskRunReport> taskRuns) {}
