package io.kaapana.workflow.adapter.spi;

import java.util.Objects;

/**
 * Which log lines to read.
 *
 * @param run the run
 * @param taskTitle the task
 * @param taskExternalId the engine's task instance id if the Workflow API knows it, else null
 * @param attempt the task attempt (try number), from 1
 * @param cursor where to continue: null for the start, else a {@link LogPage#nextCursor()} this
 *     adapter returned for the same task attempt
 * @param limit at most this many lines, from 1
 */
public record LogQuery(
    RunRef run, String taskTitle, String taskExternalId, int attempt, String cursor, int limit) {
  public LogQuery {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(taskTitle, "taskTitle");
    if (attempt < 1 || limit < 1) {
      throw new IllegalArgumentException("attempt and limit start at 1");
    }
  }

  /** The same query, continuing at {@code nextCursor}. */
  public LogQuery from(String nextCursor) {
    return new LogQuery(run, taskTitle, taskExternalId, attempt, nextCursor, limit);
  }
}
