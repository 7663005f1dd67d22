package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The holding adapter's report on one run, as posted to {@code /status}. */
public record StatusReport(
    UUID leaseToken,
    RunState state,
    int attempt,
    String externalId,
    String statusMessage,
    Instant startedAt,
    Instant finishedAt,
    RequestedAction actionDone,
    List<TaskRunReport> taskRuns) {
  public StatusReport {
    taskRuns = taskRuns == null ? List.of() : List.copyOf(taskRuns);
  }
}
