package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** The task-run state machine: what a task report changes, and the per-state counts of a run. */
public final class TaskRunLifecycle {
  private TaskRunLifecycle() {}

  /**
   * The task run after applying {@code report}, or empty when the report changes nothing (same
   * values, an older attempt, or a backwards move within one attempt).
   */
  public static Optional<TaskRun> apply(
      TaskRun current,
      TaskRunReport report,
      UUID workflowRunId,
      Supplier<UUID> ids,
      String actor,
      Instant now,
      List<DomainEvent> events) {
    if (current == null) {
      TaskRun created =
          new TaskRun(
              ids.get(),
              workflowRunId,
              report.taskTitle(),
              report.state(),
              report.attempt(),
              report.externalId(),
              report.statusMessage(),
              startedFor(report, null, report.state(), now),
              report.state().isSettled() ? firstNonNull(report.finishedAt(), now) : null,
              now);
      events.add(event(created, null, report.state(), actor));
      return Optional.of(created);
    }
    if (report.attempt() < current.attempt()) {
      return Optional.empty();
    }
    boolean newAttempt = report.attempt() > current.attempt();
    TaskRunState state = current.state();
    if (newAttempt
        || (!state.isSettled() && report.state().rank() > state.rank())
        || (neverRan(current) && report.state() != TaskRunState.CREATED)) {
      state = report.state();
    }
    Instant started = startedFor(report, newAttempt ? null : current.startedAt(), state, now);
    Instant finished =
        state.isSettled()
            ? (newAttempt || current.finishedAt() == null
                ? firstNonNull(report.finishedAt(), now)
                : current.finishedAt())
            : null;
    String externalId = report.externalId() != null ? report.externalId() : current.externalId();
    // A message says why a task is in its state: a report without one keeps it only while the
    // state and the attempt stay (a retried task that completes no longer shows its old error).
    boolean sameState = state == current.state() && !newAttempt;
    String message =
        report.statusMessage() != null || !sameState
            ? report.statusMessage()
            : current.statusMessage();
    TaskRun next =
        new TaskRun(
            current.id(),
            workflowRunId,
            current.taskTitle(),
            state,
            Math.max(current.attempt(), report.attempt()),
            externalId,
            message,
            started,
            finished,
            now);
    if (sameContent(current, next)) {
      return Optional.empty();
    }
    if (state != current.state() || newAttempt) {
      events.add(event(next, current.state(), state, actor));
    }
    return Optional.of(next);
  }

  /**
   * A task that settled without ever starting (its upstream failed, it was skipped, or its run was
   * canceled before it began) has not used its attempt: engines that count tries (Airflow) run it
   * later under the same attempt number, after a retry of the run.
   */
  private static boolean neverRan(TaskRun task) {
    return task.startedAt() == null
        && (task.state() == TaskRunState.UPSTREAM_FAILED
            || task.state() == TaskRunState.SKIPPED
            || task.state() == TaskRunState.CANCELED);
  }

  public static Map<TaskRunState, Integer> counts(Iterable<TaskRun> taskRuns) {
    Map<TaskRunState, Integer> counts = new EnumMap<>(TaskRunState.class);
    for (TaskRun t : taskRuns) {
      counts.merge(t.state(), 1, Integer::sum);
    }
    return counts;
  }

  /** Keeps a known start; else the reported one; else now, once the task is seen running. */
  private static Instant startedFor(
      TaskRunReport report, Instant existing, TaskRunState state, Instant now) {
    if (existing != null) {
      return existing;
    }
    if (report.startedAt() != null) {
      return report.startedAt();
    }
    return state == TaskRunState.RUNNING ? now : null;
  }

  private static boolean sameContent(TaskRun a, TaskRun b) {
    return a.state() == b.state()
        && a.attempt() == b.attempt()
        && java.util.Objects.equals(a.externalId(), b.externalId())
        && java.util.Objects.equals(a.statusMessage(), b.statusMessage())
        && java.util.Objects.equals(a.startedAt(), b.startedAt())
        && java.util.Objects.equals(a.finishedAt(), b.finishedAt());
  }

  private static DomainEvent event(TaskRun task, TaskRunState from, TaskRunState to, String actor) {
    return new DomainEvent(
        DomainEvent.TASK_RUN_STATUS_CHANGED,
        DomainEvent.ObjectType.TASK_RUN,
        task.id().toString(),
        task.workflowRunId(),
        from == null ? null : from.name(),
        to.name(),
        new EventData.TaskRunStateChanged(task.taskTitle(), task.attempt()),
        actor);
  }

  private static Instant firstNonNull(Instant a, Instant b) {
    return a != null ? a : b;
  }
}
