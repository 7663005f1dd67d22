package io.kaapana.workflow.adapter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.kaapana.workflow.adapter.support.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;

/**
 * The local engine: runs each task of a run as an OS process, in dependency order, at most {@code
 * parallelism} at a time. Each attempt's stdout and stderr go to a log file with timestamps. Run
 * state is kept in memory and mirrored to {@code runs/<run id>/state.json} in the data directory,
 * so a later engine on the same directory can tell a run it lost (and stop its orphaned processes)
 * from one it never had.
 */
final class LocalAdapter implements WorkflowAdapter {
  private static final Logger LOG = Logger.getLogger(LocalAdapter.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RESTARTED = "local engine restarted";

  private final AdapterContext context;
  private final boolean allowCommands;
  private final Duration killGrace;
  private final Path runsDirectory;
  private final ExecutorService taskPool;
  private final ExecutorService pumpPool;
  private final ScheduledExecutorService killer;
  private final Map<String, LocalRun> runs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  LocalAdapter(AdapterContext context, boolean allowCommands, int parallelism, Duration killGrace)
      throws AdapterException {
    this.context = context;
    this.allowCommands = allowCommands;
    this.killGrace = killGrace;
    this.runsDirectory = context.dataDirectory().resolve("runs");
    try {
      Files.createDirectories(runsDirectory);
    } catch (IOException e) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "cannot create " + runsDirectory + ": " + e, e);
    }
    this.taskPool = Executors.newFixedThreadPool(parallelism, named("local-task"));
    this.pumpPool = Executors.newCachedThreadPool(named("local-log"));
    this.killer = Executors.newSingleThreadScheduledExecutor(named("local-kill"));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
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
    LocalRun known = knownRun(runId, spec.ref().externalId());
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
    LocalDefinition definition = parse(spec.revision());
    checkParameterValues(definition, spec.parameters());
    LocalRun run = new LocalRun(runId, "local-" + runId, spec.ref().attempt());
    run.definition = definition;
    run.parameters = spec.parameters();
    synchronized (run) {
      for (LocalDefinition.Task task : definition.tasks()) {
        TaskState state = new TaskState();
        state.triesLeft = task.retries();
        run.tasks.put(task.name(), state);
      }
      runs.put(runId, run);
      advance(run);
    }
    return run.externalId;
  }

  @Override
  public RunObservation observe(RunRef ref) throws AdapterException {
    LocalRun run = knownRun(ref.runId(), ref.externalId());
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
          finish(task, EngineTaskState.CANCELED, "canceled before it started", now);
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
    LocalRun run = knownRun(spec.runId(), spec.ref().externalId());
    if (run == null) {
      run = fromKnownTasks(spec);
      runs.put(spec.runId(), run);
    }
    synchronized (run) {
      if (!run.state.isSettled()) {
        throw new AdapterException(
            ErrorCode.INVALID_REQUEST, "run " + spec.runId() + " is still " + run.state);
      }
      if (run.definition == null) {
        // Restored after a restart: the definition and parameters come from the Workflow API.
        run.definition = parse(spec.revision());
        run.parameters = spec.parameters();
        for (LocalDefinition.Task task : run.definition.tasks()) {
          run.tasks.computeIfAbsent(task.name(), t -> new TaskState());
        }
      }
      checkParameterValues(run.definition, run.parameters);
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
          finish(task, EngineTaskState.CANCELED, "canceled before it started", now);
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
          finish(
              task,
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
    deriveRunState(run, now);
    persist(run);
    context.runChanged(run.runId);
  }

  private static void finish(TaskState task, EngineTaskState state, String message, Instant now) {
    task.state = state;
    task.message = message;
    task.finishedAt = now;
    task.process = null;
  }

  private static void deriveRunState(LocalRun run, Instant now) {
    boolean allSettled = run.tasks.values().stream().allMatch(TaskState::settled);
    if (allSettled) {
      if (!run.state.isSettled()) {
        run.finishedAt = now;
        if (run.canceling) {
          run.state = EngineRunState.CANCELED;
          run.message = "canceled";
        } else if (run.tasks.values().stream().allMatch(TaskState::succeeded)) {
          run.state = EngineRunState.COMPLETED;
          run.message = null;
        } else {
          run.state = EngineRunState.ERROR;
          run.message = failureSummary(run);
        }
      }
      return;
    }
    boolean started = run.tasks.values().stream().anyMatch(t -> t.state == EngineTaskState.RUNNING);
    if (started && run.state != EngineRunState.RUNNING) {
      run.state = EngineRunState.RUNNING;
      if (run.startedAt == null) {
        run.startedAt =
            run.tasks.values().stream()
                .filter(t -> t.state == EngineTaskState.RUNNING && t.startedAt != null)
                .map(t -> t.startedAt)
                .min(Instant::compareTo)
                .orElse(now);
      }
    } else if (run.state == EngineRunState.PENDING) {
      run.state = EngineRunState.SCHEDULED;
    }
  }

  private static String failureSummary(LocalRun run) {
    List<String> failed = new ArrayList<>();
    run.tasks.forEach(
        (title, task) -> {
          if (task.state == EngineTaskState.ERROR) {
            failed.add("task '" + title + "' failed: " + task.message);
          }
        });
    return failed.isEmpty() ? "tasks did not complete" : String.join("; ", failed);
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
      command = definition.command().stream().map(a -> substitute(a, run.parameters)).toList();
      env = new java.util.LinkedHashMap<>();
      definition.env().forEach((k, v) -> env.put(k, substitute(v, run.parameters)));
    }
    Path logFile = AttemptLog.file(runsDirectory.resolve(run.runId), title, attempt);
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
          Path work = Files.createDirectories(runsDirectory.resolve(run.runId).resolve("work"));
          builder.directory(work.toFile());
          builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
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
      Future<?> out = pumpPool.submit(() -> pump(process.getInputStream(), "stdout", log));
      Future<?> err = pumpPool.submit(() -> pump(process.getErrorStream(), "stderr", log));
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
      drain(out, process.getInputStream());
      drain(err, process.getErrorStream());
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
    finish(task, state, message, now);
    advance(run);
  }

  private static void pump(InputStream stream, String name, AttemptLog log) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.append(name, line);
      }
    } catch (IOException e) {
      // the stream was closed under us: the process is gone
    }
  }

  /**
   * Waits briefly for a pump: a background grandchild may hold the pipe open after the task's
   * process exited, and must not keep the task running.
   */
  private static void drain(Future<?> pump, InputStream stream) throws InterruptedException {
    try {
      pump.get(2, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // nothing more to read
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // pump failures end the stream only
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  // --- parameters ------------------------------------------------------------------------------

  private static LocalDefinition parse(RevisionSpec revision) throws AdapterException {
    try {
      return LocalDefinition.parse(revision.definition(), revision.parametersSchema());
    } catch (LocalDefinition.InvalidDefinition e) {
      throw new AdapterException(ErrorCode.REJECTED, "invalid definition: " + e.getMessage());
    }
  }

  private static void checkParameterValues(LocalDefinition definition, Map<String, Object> params)
      throws AdapterException {
    for (LocalDefinition.Task task : definition.tasks()) {
      List<String> texts = new ArrayList<>(task.command());
      texts.addAll(task.env().values());
      for (String text : texts) {
        Matcher m = LocalDefinition.PARAMETER.matcher(text);
        while (m.find()) {
          if (params.get(m.group(1)) == null) {
            throw new AdapterException(
                ErrorCode.REJECTED,
                "task '"
                    + task.name()
                    + "' uses parameter '"
                    + m.group(1)
                    + "', but the run has no value for it (give one, or a default in the schema)");
          }
        }
      }
    }
  }

  /**
   * Replaces {@code ${params.x}}: text as is, numbers and booleans as written, the rest as JSON.
   */
  static String substitute(String text, Map<String, Object> params) {
    Matcher m = LocalDefinition.PARAMETER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = params.get(m.group(1));
      String replacement;
      if (value instanceof String s) {
        replacement = s;
      } else if (value instanceof BigDecimal d) {
        replacement = d.toPlainString();
      } else if (value instanceof Number || value instanceof Boolean) {
        replacement = value.toString();
      } else {
        try {
          replacement = JSON.writeValueAsString(value);
        } catch (IOException e) {
          replacement = String.valueOf(value);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  // --- logs ------------------------------------------------------------------------------------

  @Override
  public LogPage readLogs(LogQuery query) throws AdapterException {
    String runId = query.run().runId();
    LocalRun run = knownRun(runId, query.run().externalId());
    Path file = AttemptLog.file(runsDirectory.resolve(runId), query.taskTitle(), query.attempt());
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

  // --- state on disk ---------------------------------------------------------------------------

  /**
   * The run in memory, or one an earlier engine on this data directory submitted: that one is
   * settled as ERROR ({@value #RESTARTED}) and its orphaned processes are stopped.
   */
  private LocalRun knownRun(String runId, String externalId) throws AdapterException {
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
      Instant now = context.clock().instant();
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
                  finish(
                      task,
                      EngineTaskState.ERROR,
                      RESTARTED + " while the task was " + task.state,
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
            finish(
                task,
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
          finish(
              entry.getValue(), EngineTaskState.ERROR, RESTARTED + " before the task started", now);
        }
      }
      if (!run.state.isSettled()) {
        run.state = EngineRunState.ERROR;
        run.finishedAt = now;
        run.message =
            RESTARTED
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
  private void persist(LocalRun run) {
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
  private static String safe(String runId) throws AdapterException {
    if (!runId.matches("[A-Za-z0-9._-]+") || runId.startsWith(".")) {
      throw new AdapterException(ErrorCode.INVALID_REQUEST, "not a run id: " + runId);
    }
    return runId;
  }

  private LocalRun requireRun(RunRef ref) throws AdapterException {
    LocalRun run = knownRun(ref.runId(), ref.externalId());
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
    for (LocalRun run : runs.values()) {
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
