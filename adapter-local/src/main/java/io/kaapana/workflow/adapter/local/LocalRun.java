package io.kaapana.workflow.adapter.local;

import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the local engine. Guarded by its own monitor: every read and write of its fields holds
 * {@code synchronized (run)}.
 */
final class LocalRun {
  final String runId;
  final String externalId;

  /** Null for a run restored from disk after a restart: it cannot go on until a retry. */
  LocalDefinition definition;

  Map<String, Object> parameters;
  int attempt;
  EngineRunState state = EngineRunState.PENDING;
  String message;
  Instant startedAt;
  Instant finishedAt;
  boolean canceling;
  final Map<String, TaskState> tasks = new LinkedHashMap<>();

  static final class TaskState {
    EngineTaskState state = EngineTaskState.CREATED;
    int attempt = 1;

    /** Automatic re-tries left in this run attempt ({@code retries} of the definition). */
    int triesLeft;

    String message;
    Instant startedAt;
    Instant finishedAt;
    Process process;
    long pid;
    Instant pidStarted;

    boolean settled() {
      return state.isSettled();
    }

    /** Completed, or skipped: what lets downstream tasks run. */
    boolean succeeded() {
      return state == EngineTaskState.COMPLETED || state == EngineTaskState.SKIPPED;
    }

    /** Settled without success: failed, upstream-failed or canceled. */
    boolean failed() {
      return settled() && !succeeded();
    }

    /** Ends the task in a settled state. */
    void finish(EngineTaskState settled, String why, Instant now) {
      state = settled;
      message = why;
      finishedAt = now;
      process = null;
    }
  }

  LocalRun(String runId, String externalId, int attempt) {
    this.runId = runId;
    this.externalId = externalId;
    this.attempt = attempt;
  }

  RunObservation observation() {
    List<TaskObservation> observed = new ArrayList<>();
    tasks.forEach(
        (title, task) ->
            observed.add(
                new TaskObservation(
                    title,
                    task.state,
                    task.attempt,
                    externalId + "/" + title,
                    task.message,
                    task.startedAt,
                    task.finishedAt)));
    return new RunObservation(
        runId, externalId, state, attempt, message, startedAt, finishedAt, observed);
  }

  /** What survives a restart of the engine, as JSON-friendly values. */
  Map<String, Object> snapshot() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", runId);
    json.put("external_id", externalId);
    json.put("attempt", attempt);
    json.put("state", state.name());
    json.put("message", message);
    json.put("started_at", text(startedAt));
    json.put("finished_at", text(finishedAt));
    Map<String, Object> taskJson = new LinkedHashMap<>();
    tasks.forEach(
        (title, task) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("state", task.state.name());
          t.put("attempt", task.attempt);
          t.put("message", task.message);
          t.put("started_at", text(task.startedAt));
          t.put("finished_at", text(task.finishedAt));
          if (definition != null && definition.task(title) != null) {
            t.put("depends_on", definition.task(title).dependsOn());
          }
          if (task.process != null) {
            t.put("pid", task.pid);
            t.put("pid_started", text(task.pidStarted));
          }
          taskJson.put(title, t);
        });
    json.put("tasks", taskJson);
    return json;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** The run's state from its tasks'. Holds the monitor. */
  void deriveState(Instant now) {
    boolean allSettled = tasks.values().stream().allMatch(TaskState::settled);
    if (allSettled) {
      if (!state.isSettled()) {
        finishedAt = now;
        if (canceling) {
          state = EngineRunState.CANCELED;
          message = "canceled";
        } else if (tasks.values().stream().allMatch(TaskState::succeeded)) {
          state = EngineRunState.COMPLETED;
          message = null;
        } else {
          state = EngineRunState.ERROR;
          message = failureSummary();
        }
      }
      return;
    }
    boolean started = tasks.values().stream().anyMatch(t -> t.state == EngineTaskState.RUNNING);
    if (started && state != EngineRunState.RUNNING) {
      state = EngineRunState.RUNNING;
      if (startedAt == null) {
        startedAt =
            tasks.values().stream()
                .filter(t -> t.state == EngineTaskState.RUNNING && t.startedAt != null)
                .map(t -> t.startedAt)
                .min(Instant::compareTo)
                .orElse(now);
      }
    } else if (state == EngineRunState.PENDING) {
      state = EngineRunState.SCHEDULED;
    }
  }

  private String failureSummary() {
    List<String> failed = new ArrayList<>();
    tasks.forEach(
        (title, task) -> {
          if (task.state == EngineTaskState.ERROR) {
            failed.add("task '" + title + "' failed: " + task.message);
          }
        });
    return failed.isEmpty() ? "tasks did not complete" : String.join("; ", failed);
  }
}
