package io.kaapana.workflow.adapter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.local.LocalRun.TaskState;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.support.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local engine's runs: in memory while this engine has them, and each as a state file under
 * {@code <data-dir>/runs/<run id>/state.json}, written atomically on every change, so that an
 * engine started again on the same data directory knows what its predecessor ran.
 */
final class RunStore {
  private static final Logger LOG = Logger.getLogger(RunStore.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path runsDirectory;
  private final Clock clock;
  private final Map<String, LocalRun> runs = new ConcurrentHashMap<>();

  RunStore(Path runsDirectory, Clock clock) throws AdapterException {
    this.runsDirectory = runsDirectory;
    this.clock = clock;
    try {
      Files.createDirectories(runsDirectory);
    } catch (IOException e) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "cannot create " + runsDirectory + ": " + e, e);
    }
  }

  /** The folder of a run's state, work directory and logs. */
  Path directory(String runId) {
    return runsDirectory.resolve(runId);
  }

  void put(LocalRun run) {
    runs.put(run.runId, run);
  }

  Collection<LocalRun> all() {
    return runs.values();
  }

  /**
   * The run in memory, or one an earlier engine on this data directory submitted: that one is
   * settled as ERROR ({@value LocalAdapter#RESTARTED}) and its orphaned processes are stopped.
   */
  LocalRun known(String runId) throws AdapterException {
    LocalRun run = runs.get(runId);
    if (run != null) {
      return run;
    }
    Path stateFile = runsDirectory.resolve(safe(runId)).resolve("state.json");
    if (!Files.exists(stateFile)) {
      return null;
    }
    synchronized (runs) {
      run = runs.get(runId);
      if (run == null) {
        run = restore(stateFile);
        runs.put(runId, run);
      }
      return run;
    }
  }

  private LocalRun restore(Path stateFile) throws AdapterException {
    try {
      JsonNode json = JSON.readTree(stateFile.toFile());
      LocalRun run =
          new LocalRun(
              json.path("run_id").asText(),
              json.path("external_id").asText(),
              json.path("attempt").asInt(1));
      Instant now = clock.instant();
      run.state = EngineRunState.valueOf(json.path("state").asText("ERROR"));
      run.message = json.path("message").isNull() ? null : json.path("message").asText(null);
      run.startedAt = instant(json.path("started_at"));
      run.finishedAt = instant(json.path("finished_at"));
      List<String> lost = new ArrayList<>();
      Map<String, List<String>> dependsOn = new java.util.HashMap<>();
      json.path("tasks")
          .fields()
          .forEachRemaining(
              entry -> {
                JsonNode t = entry.getValue();
                TaskState task = new TaskState();
                task.state = EngineTaskState.valueOf(t.path("state").asText("CREATED"));
                task.attempt = t.path("attempt").asInt(1);
                task.message = t.path("message").isNull() ? null : t.path("message").asText(null);
                task.startedAt = instant(t.path("started_at"));
                task.finishedAt = instant(t.path("finished_at"));
                List<String> deps = new ArrayList<>();
                t.path("depends_on").forEach(d -> deps.add(d.asText()));
                dependsOn.put(entry.getKey(), deps);
                if (t.has("pid")) {
                  ProcessTree.find(t.path("pid").asLong(), instant(t.path("pid_started")))
                      .ifPresent(orphan -> ProcessTree.signal(orphan, true));
                }
                if (task.state == EngineTaskState.RUNNING
                    || task.state == EngineTaskState.SCHEDULED
                    || task.state == EngineTaskState.PENDING) {
                  lost.add(entry.getKey());
                  task.finish(
                      EngineTaskState.ERROR,
                      LocalAdapter.RESTARTED + " while the task was " + task.state,
                      now);
                }
                run.tasks.put(entry.getKey(), task);
              });
      // Tasks that never started: behind a lost one they are upstream-failed, else lost too.
      boolean changed = true;
      while (changed) {
        changed = false;
        for (Map.Entry<String, TaskState> entry : run.tasks.entrySet()) {
          TaskState task = entry.getValue();
          if (task.state != EngineTaskState.CREATED) {
            continue;
          }
          String failed =
              dependsOn.getOrDefault(entry.getKey(), List.of()).stream()
                  .filter(d -> run.tasks.containsKey(d) && run.tasks.get(d).failed())
                  .findFirst()
                  .orElse(null);
          if (failed != null) {
            task.finish(
                EngineTaskState.UPSTREAM_FAILED,
                "upstream task '" + failed + "' did not complete",
                now);
            changed = true;
          }
        }
      }
      for (Map.Entry<String, TaskState> entry : run.tasks.entrySet()) {
        if (!entry.getValue().settled()) {
          lost.add(entry.getKey());
          entry
              .getValue()
              .finish(
                  EngineTaskState.ERROR, LocalAdapter.RESTARTED + " before the task started", now);
        }
      }
      if (!run.state.isSettled()) {
        run.state = EngineRunState.ERROR;
        run.finishedAt = now;
        run.message =
            LocalAdapter.RESTARTED
                + (lost.isEmpty() ? "" : " while tasks " + String.join(", ", lost) + " were active")
                + "; RETRY runs them again";
        synchronized (run) {
          persist(run);
        }
      }
      return run;
    } catch (IOException | IllegalArgumentException e) {
      throw new AdapterException(
          ErrorCode.ENGINE_ERROR,
          "cannot read the local engine's state " + stateFile + ": " + e,
          e);
    }
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode()
        ? null
        : Instant.parse(node.asText());
  }

  /** Writes the run's state file atomically. Holds the run's monitor. */
  void persist(LocalRun run) {
    try {
      AtomicFiles.write(
          runsDirectory.resolve(run.runId).resolve("state.json"),
          JSON.writeValueAsBytes(run.snapshot()),
          null);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write the state of run " + run.runId, e);
    }
  }

  /** Run ids are UUIDs; anything else must not escape the runs directory. */
  static String safe(String runId) throws AdapterException {
    if (!runId.matches("[A-Za-z0-9._-]+") || runId.startsWith(".")) {
      throw new AdapterException(ErrorCode.INVALID_REQUEST, "not a run id: " + runId);
    }
    return runId;
  }
}
