package io.kaapana.workflow.adapter.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One task run as the engine sees it.
 *
 * @param taskTitle the task's title in the revision's task graph
 * @param state its state
 * @param attempt the engine's try number, from 1; a retried task keeps its title and counts up
 * @param externalId the engine's id for the task instance (may be null)
 * @param message why it is in this state (exit code, timeout), or null
 * @param startedAt when this attempt started, or null
 * @param finishedAt when this attempt settled, or null
 */
public record TaskObservation(
    String taskTitle,
    EngineTaskState state,
    int attempt,
    String externalId,
    String message,
    Instant startedAt,
    Instant finishedAt) {
  public TaskObservation {
    Objects.requireNonNull(taskTitle, "taskTitle");
    Objects.requireNonNull(state, "state");
  }
}
