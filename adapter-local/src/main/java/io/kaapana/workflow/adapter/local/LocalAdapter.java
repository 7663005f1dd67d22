package io.kaapana.workflow.adapter.local;

import io.kaapana.workflow.adapter.local.LocalRun.TaskState;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.DaemonThreads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local engine: runs each task of a run as an OS process, in dependency order, at most {@code
 * parallelism} at a time. Each attempt's stdout and stderr go to a log file with timestamps. Run
 * state is kept in memory and mirrored to {@code runs/<run id>/state.json} in the data directory,
 * so a later engine on the same directory can tell a run it lost (and stop its orphaned processes)
 * from one it never had.
 *
 * <p>Why one class of this size (about 570 lines): it is the engine's scheduler; the adapter
 * methods (submit, cancel, retry) and the task processes' completions all change a run's tasks
 * under the run's monitor and hand work to the same pools. The parts that stand apart live beside
 * it: {@link RunStore} (state on disk), {@link LocalRun} (a run's derived state), {@link
 * LocalDefinition} (the format and parameters), {@link AttemptLog} and {@link ProcessOutput}.
 */
final class LocalAdapter implements WorkflowAdapter {
  private static final Logger LOG = Logger.getLogger(LocalAdapter.class.getName());
  static final String RESTARTED = "local engine restarted";

  private final AdapterContext context;
  private final boolean allowCommands;
  private final Duration killGrace;
  private final RunStore store;
  private final ExecutorService taskPool;
  private final ExecutorService pumpPool;
  private final ScheduledExecutorService killer;
  private volatile boolean closed;

  LocalAdapter(AdapterContext context, boolean allowCommands, int parallelism, Duration killGrace)
      throws AdapterException {
    this.context = context;
    this.allowCommands = allowCommands;
    this.killGrace = killGrace;
    this.store = new RunStore(context.dataDirectory().resolve("runs"), context.clock());
    this.taskPool = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("local-task"));
    this.pumpPool = Executors.newCachedThreadPool(DaemonThreads.named("local-log"));
    this.killer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("local-kill"));
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.CANCEL,
        Capability.RETRY_RUN,
        Capability.RETRY_TASK,
        Capability.LOGS,
        Capability.LOG_FOLLOW,
        Capability.VALIDATE);
  }

  // --- definitions -----------------------------------------------------------------------------

  @Override
  public Deployment deploy(RevisionSpec revision) throws AdapterException {
    try {
      LocalDefinition definition =
          LocalDefinition.parse(revision.definition(), revision.parametersSchema());
      List<Deployment.TaskNode> tasks =
          definition.tasks().stream()
              .map(
                  t ->
                      new Deployment.TaskNode(
                          t.name(), t.name(), "command", definition.downstreamOf(t.name())))
              .toList();
      return Deployment.valid(engineRef(revision), tasks);
    } catch (LocalDefinition.InvalidDefinition e) {
      return Deployment.invalid(e.problems());
    }
  }

  /** Names the definition by its content: the same revision always gets the same reference. */
  private static String engineRef(RevisionSpec revision) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(revision.definition().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(revision.parametersSchema().getBytes(StandardCharsets.UTF_8));
      return "local-" + HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  // --- runs ------------------------------------------------------------------------------------

  @Override
  public String submit(RunSpec spec) throws AdapterException {
    checkOpen();
    String runId = spec.runId();
    LocalRun known = store.known(runId);
    if (known != null) {
      return known.externalId;
    }
    if (!allowCommands) {
      throw new AdapterException(
          ErrorCode.REJECTED,
          "this local engine does not run commands: it runs them only when configured with"
              + " local.allow-commands=true (KAAPANA_LOCAL_ALLOW_COMMANDS), on a machine where"
              + " that is safe");
    }
    LocalDefinition definition = LocalDefinition.of(spec.revision());
    definition.checkParameterValues(spec.parameters());
    LocalRun run = new LocalRun(runId, "local-" + runId, spec.ref().attempt());
    run.definition = definition;
    run.parameters = spec.parameters();
    synchronized (run) {
      for (LocalDefinition.Task task : definition.tasks()) {
        TaskState state = new TaskState();
        state.triesLeft = task.retries();
        run.tasks.put(task.name(), state);
      }
      store.put(run);
      advance(run);
    }
    return run.externalId;
  }

  @Override
  public RunObservation observe(RunRef ref) throws AdapterException {
    LocalRun run = store.known(ref.runId());
    if (run == null) {
      if (ref.externalId() == null) {
        throw new AdapterException(ErrorCode.NOT_FOUND, "no local run " + ref.runId());
      }
      // Submitted by an engine that is gone, and its state did not reach this data directory.
      return new RunObservation(
          ref.runId(),
          ref.externalId(),
          EngineRunState.ERROR,
          ref.attempt(),
          RESTARTED
              + " and has no record of this run; RETRY starts the tasks that had not"
              + " completed",
          null,
          context.clock().instant(),
          List.of());
    }
    synchronized (run) {
      return run.observation();
    }
  }

  @Override
  public void cancel(RunRef ref, boolean force) throws AdapterException {
    LocalRun run = requireRun(ref);
    synchronized (run) {
      if (run.state.isSettled()) {
        return;
      }
      run.canceling = true;
      Instant now = context.clock().instant();
      for (TaskState task : run.tasks.values()) {
        if (task.state == EngineTaskState.CREATED
            || task.state == EngineTaskState.PENDING
            || task.state == EngineTaskState.SCHEDULED) {
          task.finish(EngineTaskState.CANCELED, "canceled before it started", now);
        } else if (task.state == EngineTaskState.RUNNING && task.process != null) {
          stop(task, force);
        }
      }
      advance(run);
    }
  }

  private void stop(TaskState task, boolean force) {
    List<ProcessHandle> signalled = ProcessTree.signal(task.process.toHandle(), force);
    if (!force) {
      killer.schedule(
          () -> ProcessTree.kill(signalled), killGrace.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public int retry(RunSpec spec, RetryScope scope) throws AdapterException {
    LocalRun run = runForRetry(spec);
    synchronized (run) {
      Set<String> rerun =
          scope == RetryScope.ALL
              ? run.tasks.keySet()
              : run.definition.withDownstream(
                  run.tasks.entrySet().stream()
                      .filter(e -> !e.getValue().succeeded())
                      .map(Map.Entry::getKey)
                      .collect(java.util.stream.Collectors.toSet()));
      return restart(run, rerun);
    }
  }

  @Override
  public int retryTask(RunSpec spec, String taskTitle) throws AdapterException {
    LocalRun run = runForRetry(spec);
    synchronized (run) {
      if (!run.tasks.containsKey(taskTitle)) {
        throw new AdapterException(
            ErrorCode.NOT_FOUND, "run " + run.runId + " has no task '" + taskTitle + "'");
      }
      return restart(run, run.definition.withDownstream(Set.of(taskTitle)));
    }
  }

  private LocalRun runForRetry(RunSpec spec) throws AdapterException {
    checkOpen();
    if (!allowCommands) {
      throw new AdapterException(ErrorCode.REJECTED, "this local engine does not run commands");
    }
    LocalRun run = store.known(spec.runId());
    if (run == null) {
      run = fromKnownTasks(spec);
      store.put(run);
    }
    synchronized (run) {
      if (!run.state.isSettled()) {
        throw new AdapterException(
            ErrorCode.INVALID_REQUEST, "run " + spec.runId() + " is still " + run.state);
      }
      if (run.definition == null) {
        // Restored after a restart: the definition and parameters come from the Workflow API.
        run.definition = LocalDefinition.of(spec.revision());
        run.parameters = spec.parameters();
        for (LocalDefinition.Task task : run.definition.tasks()) {
          run.tasks.computeIfAbsent(task.name(), t -> new TaskState());
        }
      }
      run.definition.checkParameterValues(run.parameters);
      return run;
    }
  }

  /** A run this engine never had, rebuilt from what the Workflow API recorded, to resume it. */
  private LocalRun fromKnownTasks(RunSpec spec) throws AdapterException {
    LocalRun run = new LocalRun(spec.runId(), "local-" + spec.runId(), spec.ref().attempt());
    run.state = EngineRunState.ERROR;
    run.message = RESTARTED;
    for (TaskObservation known : spec.knownTaskRuns()) {
      TaskState task = new TaskState();
      task.state = known.state();
      task.attempt = Math.max(1, known.attempt());
      task.startedAt = known.startedAt();
      task.finishedAt = known.finishedAt();
      task.message = known.message();
      run.tasks.put(known.taskTitle(), task);
    }
    return run;
  }

  /** Starts a new run attempt in which the given tasks run again. Holds the run's monitor. */
  private int restart(LocalRun run, Set<String> rerun) {
    run.attempt++;
    run.canceling = false;
    run.state = EngineRunState.SCHEDULED;
    run.message = null;
    run.startedAt = null;
    run.finishedAt = null;
    for (String title : rerun) {
      TaskState task = run.tasks.get(title);
      task.attempt++;
      task.state = EngineTaskState.CREATED;
      task.triesLeft = run.definition.task(title).retries();
      task.message = null;
      task.startedAt = null;
      task.finishedAt = null;
      task.process = null;
    }
    advance(run);
    return run.attempt;
  }

  /**
   * Moves a run forward: settles tasks whose upstream failed, hands ready tasks to the pool, and
   * derives the run's state. Holds the run's monitor.
   */
  private void advance(LocalRun run) {
    Instant now = context.clock().instant();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (LocalDefinition.Task definition : run.definition.tasks()) {
        TaskState task = run.tasks.get(definition.name());
        if (task.state != EngineTaskState.CREATED) {
          continue;
        }
        if (run.canceling) {
          task.finish(EngineTaskState.CANCELED, "canceled before it started", now);
          changed = true;
          continue;
        }
        String failedUpstream = null;
        boolean ready = true;
        for (String dependency : definition.dependsOn()) {
          TaskState upstream = run.tasks.get(dependency);
          if (upstream.failed()) {
            failedUpstream = dependency;
          } else if (!upstream.succeeded()) {
            ready = false;
          }
        }
        if (failedUpstream != null) {
          task.finish(
              EngineTaskState.UPSTREAM_FAILED,
              "upstream task '" + failedUpstream + "' did not complete",
              now);
          changed = true;
        } else if (ready && !closed) {
          task.state = EngineTaskState.SCHEDULED;
          String title = definition.name();
          taskPool.execute(() -> runTask(run, title));
          changed = true;
        }
      }
    }
    run.deriveState(now);
    store.persist(run);
    context.runChanged(run.runId);
  }

  // --- task processes --------------------------------------------------------------------------

  private void runTask(LocalRun run, String title) {
    LocalDefinition.Task definition;
    TaskState task;
    int attempt;
    List<String> command;
    Map<String, String> env;
    synchronized (run) {
      task = run.tasks.get(title);
      if (task.state != EngineTaskState.SCHEDULED || closed) {
        return; // canceled while it waited for a slot
      }
      definition = run.definition.task(title);
      attempt = task.attempt;
      command =
          definition.command().stream()
              .map(a -> LocalDefinition.substitute(a, run.parameters))
              .toList();
      env = new java.util.LinkedHashMap<>();
      definition.env().forEach((k, v) -> env.put(k, LocalDefinition.substitute(v, run.parameters)));
    }
    Path logFile = AttemptLog.file(store.directory(run.runId), title, attempt);
    try (AttemptLog log = AttemptLog.open(logFile, context.clock())) {
      Process process;
      synchronized (run) {
        if (task.state != EngineTaskState.SCHEDULED) {
          return;
        }
        log.append(AttemptLog.ENGINE, "attempt " + attempt + ": " + String.join(" ", command));
        try {
          ProcessBuilder builder = new ProcessBuilder(command);
          builder.environment().putAll(env);
          builder.environment().put("KAAPANA_RUN_ID", run.runId);
          builder.environment().put("KAAPANA_TASK", title);
          builder.environment().put("KAAPANA_TASK_ATTEMPT", Integer.toString(attempt));
          Path work = Files.createDirectories(store.directory(run.runId).resolve("work"));
          builder.directory(work.toFile());
          builder.redirectInput(ProcessBuilder.Redirect.from(ProcessOutput.nullDevice()));
          process = builder.start();
        } catch (IOException e) {
          log.append("engine-error", "cannot start: " + e.getMessage());
          settleAttempt(run, task, title, EngineTaskState.ERROR, "cannot start: " + e.getMessage());
          return;
        }
        task.state = EngineTaskState.RUNNING;
        task.startedAt = context.clock().instant();
        task.process = process;
        task.pid = process.pid();
        task.pidStarted = process.toHandle().info().startInstant().orElse(null);
        advance(run);
      }
      Future<?> out =
          pumpPool.submit(() -> ProcessOutput.pump(process.getInputStream(), "stdout", log));
      Future<?> err =
          pumpPool.submit(() -> ProcessOutput.pump(process.getErrorStream(), "stderr", log));
      boolean timedOut = false;
      if (definition.timeoutSeconds() > 0) {
        if (!process.waitFor(definition.timeoutSeconds(), TimeUnit.SECONDS)) {
          timedOut = true;
          ProcessTree.signal(process.toHandle(), true);
          process.waitFor();
        }
      } else {
        process.waitFor();
      }
      ProcessOutput.drain(out, process.getInputStream());
      ProcessOutput.drain(err, process.getErrorStream());
      int exit = process.exitValue();
      synchronized (run) {
        if (task.state != EngineTaskState.RUNNING || task.attempt != attempt || closed) {
          return; // on close the run stays as it was: the next engine reports it lost
        }
        if (run.canceling) {
          log.append(AttemptLog.ENGINE, "canceled (exit code " + exit + ")");
          settleAttempt(run, task, title, EngineTaskState.CANCELED, "canceled");
        } else if (timedOut) {
          String message = "timed out after " + definition.timeoutSeconds() + " s";
          log.append("engine-error", message);
          settleAttempt(run, task, title, EngineTaskState.ERROR, message);
        } else if (exit == 0) {
          log.append(AttemptLog.ENGINE, "exit code 0");
          settleAttempt(run, task, title, EngineTaskState.COMPLETED, null);
        } else {
          log.append("engine-error", "exit code " + exit);
          settleAttempt(run, task, title, EngineTaskState.ERROR, "exit code " + exit);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "task " + title + " of run " + run.runId + " failed in the engine", e);
      synchronized (run) {
        if (task.state == EngineTaskState.RUNNING || task.state == EngineTaskState.SCHEDULED) {
          settleAttempt(run, task, title, EngineTaskState.ERROR, "local engine error: " + e);
        }
      }
    }
  }

  /** Ends one task attempt; a failed one with tries left runs again at once. Holds the monitor. */
  private void settleAttempt(
      LocalRun run, TaskState task, String title, EngineTaskState state, String message) {
    Instant now = context.clock().instant();
    if (state == EngineTaskState.ERROR && task.triesLeft > 0 && !run.canceling && !closed) {
      task.triesLeft--;
      task.attempt++;
      task.state = EngineTaskState.SCHEDULED;
      task.message = "retrying after: " + message;
      task.startedAt = null;
      task.finishedAt = null;
      task.process = null;
      taskPool.execute(() -> runTask(run, title));
      advance(run);
      return;
    }
    task.finish(state, message, now);
    advance(run);
  }

  // --- logs ------------------------------------------------------------------------------------

  @Override
  public LogPage readLogs(LogQuery query) throws AdapterException {
    String runId = query.run().runId();
    LocalRun run = store.known(runId);
    Path file = AttemptLog.file(store.directory(runId), query.taskTitle(), query.attempt());
    boolean finished;
    if (run == null) {
      if (!Files.exists(file)) {
        throw new AdapterException(
            ErrorCode.NOT_FOUND,
            "no log of task '" + query.taskTitle() + "' attempt " + query.attempt());
      }
      finished = true;
    } else {
      synchronized (run) {
        TaskState task = run.tasks.get(query.taskTitle());
        if (task == null || query.attempt() > task.attempt) {
          throw new AdapterException(
              ErrorCode.NOT_FOUND,
              "run "
                  + runId
                  + " has no attempt "
                  + query.attempt()
                  + " of task '"
                  + query.taskTitle()
                  + "'");
        }
        finished =
            query.attempt() < task.attempt
                || task.settled()
                || run.definition == null
                || task.state == EngineTaskState.CREATED
                    && task.attempt == query.attempt()
                    && run.state.isSettled();
      }
    }
    return AttemptLog.read(file, query.cursor(), query.limit(), finished);
  }

  @Override
  public LogPage followLogs(LogQuery query, Duration maxWait) throws AdapterException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      LogPage page = readLogs(query);
      if (!page.lines().isEmpty() || page.complete() || System.nanoTime() >= deadline || closed) {
        return page;
      }
      try {
        Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return page;
      }
    }
  }

  private LocalRun requireRun(RunRef ref) throws AdapterException {
    LocalRun run = store.known(ref.runId());
    if (run == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "no local run " + ref.runId());
    }
    return run;
  }

  private void checkOpen() throws AdapterException {
    if (closed) {
      throw new AdapterException(ErrorCode.UNAVAILABLE, "the local engine is shutting down");
    }
  }

  /** Stops every task process (nothing may run unsupervised), and the engine's threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LocalRun run : store.all()) {
      synchronized (run) {
        for (TaskState task : run.tasks.values()) {
          if (task.process != null && task.process.isAlive()) {
            ProcessTree.signal(task.process.toHandle(), true);
          }
        }
      }
    }
    taskPool.shutdownNow();
    pumpPool.shutdownNow();
    killer.shutdownNow();
  }
}
