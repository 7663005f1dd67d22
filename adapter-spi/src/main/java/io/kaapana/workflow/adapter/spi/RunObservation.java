package io.kaapana.workflow.adapter.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the engine says about one run, at one moment.
 *
 * @param runId the Workflow API's run id
 * @param externalId the engine's run id
 * @param state the run's state
 * @param attempt the run's attempt: the {@link RunRef#attempt()} it was asked about, or higher once
 *     a retry started in the engine
 * @param message why it is in this state (the failing task, the engine's error), or null
 * @param startedAt when the engine started it (this attempt), or null
 * @param finishedAt when it settled, or null while active
 * @param tasks every task run the engine knows of, with its latest attempt
 */
public record RunObservation(
    String runId,
    String externalId,
    EngineRunState state,
    int attempt,
    String message,
    Instant startedAt,
    Instant finishedAt,
    List<TaskObservation> tasks) {
  public RunObservation {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}
