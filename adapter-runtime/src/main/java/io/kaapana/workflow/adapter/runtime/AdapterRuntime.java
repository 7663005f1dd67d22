package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Capability;
import io.kaapana.workflow.client.model.Claim;
import io.kaapana.workflow.client.model.ClaimRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.Task;
import io.kaapana.workflow.client.model.TaskRunReport;
import io.kaapana.workflow.client.model.TaskRunState;
import io.kaapana.workflow.client.model.ValidationReport;
import io.kaapana.workflow.client.model.ValidationStatus;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRevision;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hosts one engine adapter: registers it with the Workflow API and heartbeats, long-polls claims
 * for its label selector, and reconciles what it holds — deploys and validates revisions, submits
 * runs, mirrors engine state into status reports, carries out requested cancels and retries — with
 * at most {@code adapter.concurrency} engine calls at once and backoff on failures. It serves the
 * adapter's log endpoint, and at {@link #close()} stops the adapter and releases its runs.
 *
 * <p>Runs stand-alone ({@link AdapterRuntimeMain}) or embedded ({@link #start(RuntimeConfig)}).
 */
public final class AdapterRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdapterRuntime.class.getName());
  private static final String VERSION = "0.1.0";

  private final RuntimeConfig config;
  private final WorkflowAdapterFactory factory;
  private final WorkflowAdapter adapter;
  private final WorkflowApiClient api;
  private final EngineMetrics metrics;
  private final AdapterEndpoint endpoint;
  private final String endpointUrl;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Thread claimLoop;
  private final Map<java.util.UUID, HeldRun> held = new ConcurrentHashMap<>();
  private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();
  private final Map<String, WorkflowRevision> revisions = new ConcurrentHashMap<>();
  private final Map<UUID, String> titles = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean registered;

  /** The last {@code workflow.archived} event handed to the adapter (0: none yet). */
  private volatile long archivedEventsSeen;

  private AdapterRuntime(RuntimeConfig config) throws AdapterException {
    this.config = config;
    this.factory = AdapterPlugins.find(config.adapterKind(), config.pluginDirectory());
    List<String> problems = factory.validate(config.adapterConfig());
    if (!problems.isEmpty()) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG,
          "the configuration of adapter '"
              + factory.id()
              + "' has problems: "
              + String.join("; ", problems));
    }
    try {
      Files.createDirectories(config.dataDirectory());
    } catch (IOException e) {
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "cannot create " + config.dataDirectory() + ": " + e, e);
    }
    this.metrics = new EngineMetrics(held::size);
    this.adapter = factory.create(config.adapterConfig(), new Context());
    this.api =
        WorkflowApiClient.builder(config.apiUrl())
            .actor("adapter:" + config.instanceId())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    AdapterEndpoint started;
    try {
      started =
          new AdapterEndpoint(
              config.listenHost(), config.listenPort(), adapter, metrics, new ObjectMapper());
    } catch (IOException e) {
      adapter.close();
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG,
          "cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": " + e,
          e);
    }
    this.endpoint = started;
    this.endpointUrl =
        config.endpointUrl() != null
            ? config.endpointUrl()
            : "http://" + advertisedHost(config.listenHost()) + ":" + endpoint.port();
    this.workers = Executors.newFixedThreadPool(config.concurrency(), named("adapter-worker"));
    this.timers = Executors.newScheduledThreadPool(1, named("adapter-timer"));
    this.claimLoop = new Thread(this::claimLoop, "adapter-claims");
    this.claimLoop.setDaemon(true);
  }

  /**
   * Starts a runtime. Returns at once; registration waits in the background until the Workflow API
   * answers.
   *
   * @throws AdapterException when the adapter is missing, ambiguous or misconfigured
   */
  public static AdapterRuntime start(RuntimeConfig config) throws AdapterException {
    AdapterRuntime runtime = new AdapterRuntime(config);
    runtime.claimLoop.start();
    long heartbeat = Math.max(1, config.leaseSeconds() / 3);
    runtime.timers.scheduleWithFixedDelay(
        runtime::heartbeat, heartbeat, heartbeat, TimeUnit.SECONDS);
    long sync = Math.max(100, config.syncInterval().toMillis());
    runtime.timers.scheduleWithFixedDelay(runtime::syncAll, sync, sync, TimeUnit.MILLISECONDS);
    runtime.timers.scheduleWithFixedDelay(
        runtime::retireArchivedWorkflows, sync, sync, TimeUnit.MILLISECONDS);
    LOG.info(
        () ->
            "adapter runtime started: "
                + config
                + ", endpoint "
                + runtime.endpointUrl
                + ", capabilities "
                + runtime.adapter.capabilities());
    return runtime;
  }

  public String instanceId() {
    return config.instanceId();
  }

  public String endpointUrl() {
    return endpointUrl;
  }

  /** True once the Workflow API accepted the registration. */
  public boolean isRegistered() {
    return registered;
  }

  /** How many runs this runtime holds now. */
  public int runsHeld() {
    return held.size();
  }

  // --- registration and claims -----------------------------------------------------------------

  private AdapterRegistration registration() {
    List<Capability> capabilities =
        adapter.capabilities().stream().map(c -> Capability.valueOf(c.name())).toList();
    return new AdapterRegistration(
        factory.workflowEngine(),
        config.labelSelector().isEmpty() ? null : config.labelSelector(),
        capabilities,
        endpointUrl,
        factory.id() + "/" + VERSION,
        config.leaseSeconds());
  }

  private void register() {
    try {
      // A restarted instance with a fixed id first frees what its previous incarnation held.
      api.adapters().deregister(config.instanceId());
    } catch (ProblemException.NotFoundException e) {
      // nothing held
    }
    api.adapters().register(config.instanceId(), registration());
    registered = true;
    LOG.info(
        () ->
            "registered as adapter "
                + config.instanceId()
                + " for engine "
                + factory.workflowEngine());
  }

  private void heartbeat() {
    if (!registered || !running) {
      return;
    }
    try {
      api.adapters().register(config.instanceId(), registration());
    } catch (WorkflowApiClientException e) {
      LOG.log(Level.WARNING, "heartbeat failed: " + e.getMessage());
    }
  }

  private void claimLoop() {
    long backoff = 500;
    while (running) {
      try {
        if (!registered) {
          register();
        }
        Claim claim =
            api.adapters()
                .claim(
                    config.instanceId(),
                    new ClaimRequest(config.claimLimit(), (int) config.claimWait().toSeconds()));
        backoff = 500;
        for (WorkflowRevision revision : claim.revisions()) {
          workers.execute(() -> validate(revision));
        }
        for (ClaimedWorkflowRun run : claim.runs()) {
          hold(run);
        }
      } catch (ProblemException.NotFoundException e) {
        registered = false; // the service forgot us (LOST and swept): register again
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.log(
            Level.WARNING,
            (registered ? "claiming work" : "registering")
                + " failed, retrying in "
                + backoff
                + " ms: "
                + e.getMessage());
        sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private void hold(ClaimedWorkflowRun claimed) {
    HeldRun run =
        held.compute(
            claimed.id(),
            (id, existing) -> {
              if (existing == null) {
                return new HeldRun(claimed);
              }
              synchronized (existing) {
                existing.update(claimed);
              }
              return existing;
            });
    schedule(run);
  }

  // --- revisions -------------------------------------------------------------------------------

  private void validate(WorkflowRevision revision) {
    try {
      Deployment deployment = deploy(revision);
      api.workflows()
          .reportValidation(
              revision.workflowId(),
              revision.increment(),
              new ValidationReport(
                  deployment.valid() ? ValidationStatus.VALID : ValidationStatus.INVALID,
                  deployment.messages(),
                  deployment.tasks().stream()
                      .map(t -> new Task(t.title(), t.displayName(), t.type(), t.downstream()))
                      .toList(),
                  deployment.engineRef(),
                  config.instanceId()));
    } catch (AdapterException | RuntimeException e) {
      // The validation claim expires after the lease; the revision comes back to be tried again.
      LOG.log(
          Level.WARNING,
          "validating revision "
              + revision.increment()
              + " of workflow "
              + revision.workflowId()
              + " failed: "
              + e.getMessage());
    }
  }

  private Deployment deploy(WorkflowRevision revision) throws AdapterException {
    String key = revision.workflowId() + "#" + revision.increment();
    Deployment known = deployments.get(key);
    if (known != null) {
      return known;
    }
    Deployment deployment = timed("deploy", () -> adapter.deploy(spec(revision)));
    deployments.put(key, deployment);
    return deployment;
  }

  private RevisionSpec spec(WorkflowRevision revision) {
    return new RevisionSpec(
        revision.workflowId().toString(),
        revision.increment(),
        titleOf(revision.workflowId()),
        revision.definition(),
        RuntimeJson.write(revision.parametersSchema()),
        revision.labels());
  }

  /** The workflow's title, asked once per workflow: adapters use it for display only. */
  private String titleOf(UUID workflowId) {
    String title = titles.get(workflowId);
    if (title == null) {
      try {
        title = api.workflows().get(workflowId).title();
        titles.put(workflowId, title);
      } catch (RuntimeException e) {
        return null; // cosmetic: deploying goes on without it
      }
    }
    return title;
  }

  private WorkflowRevision revision(ClaimedWorkflowRun run) {
    String key = run.workflow().id() + "#" + run.workflow().increment();
    return revisions.computeIfAbsent(
        key, k -> api.workflows().revision(run.workflow().id(), run.workflow().increment()));
  }

  // --- reconciling held runs -------------------------------------------------------------------

  private void schedule(HeldRun run) {
    synchronized (run) {
      if (run.busy) {
        run.dirty = true;
        return;
      }
      run.busy = true;
    }
    try {
      workers.execute(() -> work(run));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (run) {
        run.busy = false; // shutting down
      }
    }
  }

  private void work(HeldRun run) {
    long delay = 0;
    try {
      if (running) {
        reconcile(run);
        synchronized (run) {
          run.failures = 0;
        }
      }
    } catch (ProblemException.LeaseLostException e) {
      metrics.leaseLost();
      held.remove(run.id);
      LOG.info(() -> "lost the lease of run " + run.id + "; another adapter holds it now");
    } catch (AdapterException e) {
      if (e.retryable()) {
        delay = backoff(run);
        tellWhyItWaits(
            run,
            "the engine is unavailable; retrying in " + delay / 1000 + " s: " + e.getMessage());
        LOG.log(
            Level.WARNING,
            "run "
                + run.id
                + ": the engine is unavailable, retrying in "
                + delay
                + " ms: "
                + e.getMessage());
      } else {
        LOG.log(Level.WARNING, "run " + run.id + ": " + e.getMessage());
      }
    } catch (WorkflowApiClientException e) {
      delay = backoff(run);
      LOG.log(
          Level.WARNING,
          "run "
              + run.id
              + ": the Workflow API call failed, retrying in "
              + delay
              + " ms: "
              + e.getMessage());
    } catch (RuntimeException e) {
      delay = backoff(run);
      LOG.log(
          Level.SEVERE, "run " + run.id + ": unexpected failure, retrying in " + delay + " ms", e);
    } finally {
      boolean again;
      synchronized (run) {
        run.busy = false;
        again = run.dirty;
        run.dirty = false;
      }
      if (delay > 0 && running) {
        timers.schedule(() -> schedule(run), delay, TimeUnit.MILLISECONDS);
      } else if (again && running) {
        schedule(run);
      }
    }
  }

  /**
   * A run not yet submitted says why it waits (lifecycle.md, submission failures); its next state
   * change replaces the message.
   */
  private void tellWhyItWaits(HeldRun run, String message) {
    StatusReport report;
    synchronized (run) {
      if (run.state != RunState.CREATED || run.externalId != null) {
        return;
      }
      report =
          new StatusReport(
              run.leaseToken,
              RunState.CREATED,
              Math.max(1, run.attempt),
              null,
              message,
              null,
              null,
              null,
              List.of());
    }
    try {
      api.runs().reportStatus(run.id, report);
    } catch (WorkflowApiClientException e) {
      LOG.log(Level.FINE, "could not report why run " + run.id + " waits: " + e.getMessage());
    }
  }

  private static long backoff(HeldRun run) {
    synchronized (run) {
      run.failures++;
      return Math.min(30_000L, 500L << Math.min(run.failures, 6));
    }
  }

  private void reconcile(HeldRun run) throws AdapterException {
    ClaimedWorkflowRun claimed;
    ActionRequest action;
    boolean actionStarted;
    String externalId;
    int attempt;
    RunObservation observation;
    synchronized (run) {
      if (held.get(run.id) != run) {
        return;
      }
      claimed = run.claimed;
      action = run.action;
      actionStarted = run.actionStarted;
      externalId = run.externalId;
      attempt = run.attempt;
      observation = run.pendingObservation;
      run.pendingObservation = null;
    }
    WorkflowRevision revision = revision(claimed);
    Deployment deployment = deploy(revision);
    if (!deployment.valid()) {
      report(
          run,
          null,
          RunState.ERROR,
          "the engine refused the definition: " + String.join("; ", deployment.messages()),
          action);
      return;
    }
    RunRef ref =
        new RunRef(run.id.toString(), externalId, deployment.engineRef(), Math.max(1, attempt));

    if (action != null && !actionStarted) {
      try {
        carryOut(run, action, ref, revision, claimed, externalId);
      } catch (AdapterException e) {
        if (e.retryable()) {
          throw e;
        }
        // The engine refused: end the request, and say why, instead of asking again forever.
        RunState current;
        synchronized (run) {
          current = run.state;
        }
        report(
            run, null, current, action.type() + " failed in the engine: " + e.getMessage(), action);
        return;
      }
      synchronized (run) {
        if (!run.actionStarted) {
          return; // settled without the engine (a cancel before submission)
        }
      }
      observation = null;
    } else if (externalId == null) {
      if (claimed.lifecycleStatus() != RunState.CREATED) {
        report(
            run,
            null,
            RunState.ERROR,
            "the run was " + claimed.lifecycleStatus() + " but no engine run id was recorded",
            action);
        return;
      }
      try {
        String submitted =
            timed("submit", () -> adapter.submit(runSpec(ref, revision, claimed, false)));
        synchronized (run) {
          run.externalId = submitted;
        }
      } catch (AdapterException e) {
        if (e.code() == ErrorCode.REJECTED) {
          report(run, null, RunState.ERROR, e.getMessage(), action);
          return;
        }
        throw e;
      }
      observation = null;
    }
    if (observation == null) {
      RunRef current;
      synchronized (run) {
        current =
            new RunRef(
                run.id.toString(),
                run.externalId,
                deployment.engineRef(),
                Math.max(1, run.attempt));
      }
      try {
        observation = timed("observe", () -> adapter.observe(current));
      } catch (AdapterException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
          throw e;
        }
        report(
            run,
            null,
            RunState.ERROR,
            "the engine has no record of this run: " + e.getMessage(),
            action);
        return;
      }
    }
    report(run, observation, null, null, action);
  }

  /** Carries out a requested CANCEL or RETRY in the engine. */
  private void carryOut(
      HeldRun run,
      ActionRequest action,
      RunRef ref,
      WorkflowRevision revision,
      ClaimedWorkflowRun claimed,
      String externalId)
      throws AdapterException {
    if (action.type() == RequestedAction.CANCEL) {
      if (externalId == null) {
        report(run, null, RunState.CANCELED, "canceled before it was submitted", action);
        return;
      }
      timedRun("cancel", () -> adapter.cancel(ref, Boolean.TRUE.equals(action.force())));
      markStarted(run, 0);
    } else {
      RunSpec spec = runSpec(ref, revision, claimed, true);
      int newAttempt =
          action.taskTitle() != null
              ? timed("retry_task", () -> adapter.retryTask(spec, action.taskTitle()))
              : timed(
                  "retry",
                  () ->
                      adapter.retry(
                          spec,
                          action.scope() == io.kaapana.workflow.client.model.RetryScope.ALL
                              ? RetryScope.ALL
                              : RetryScope.FAILED));
      markStarted(run, newAttempt);
    }
  }

  private static void markStarted(HeldRun run, int newAttempt) {
    synchronized (run) {
      run.actionStarted = true;
      if (newAttempt > 0) {
        run.retryAttempt = newAttempt;
        run.attempt = newAttempt;
      }
    }
  }

  private RunSpec runSpec(
      RunRef ref, WorkflowRevision revision, ClaimedWorkflowRun run, boolean withTasks) {
    List<TaskObservation> known = new ArrayList<>();
    if (withTasks) {
      api.runs()
          .taskRunsAll(run.id(), Query.taskRuns().limit(500))
          .forEach(
              t ->
                  known.add(
                      new TaskObservation(
                          t.taskTitle(),
                          EngineTaskState.valueOf(t.lifecycleStatus().name()),
                          t.attempt(),
                          t.externalId(),
                          t.statusMessage(),
                          t.startedAt(),
                          t.finishedAt())));
    }
    Map<String, Object> parameters = run.parameters() == null ? Map.of() : run.parameters();
    return new RunSpec(ref, spec(revision), parameters, run.labels(), known);
  }

  /**
   * Sends what changed: from an observation, or (when it is null) a run-level state with a message.
   * Reports a requested action as done once the engine shows its effect.
   */
  private void report(
      HeldRun run,
      RunObservation observation,
      RunState state,
      String message,
      ActionRequest action) {
    StatusReport report;
    synchronized (run) {
      if (held.get(run.id) != run) {
        return;
      }
      RequestedAction done = null;
      RunState newState =
          observation != null ? RunState.valueOf(observation.state().name()) : state;
      int attempt =
          observation != null
              ? Math.max(observation.attempt(), run.attempt)
              : Math.max(1, run.attempt);
      if (action != null) {
        boolean settled =
            newState == RunState.CANCELED
                || newState == RunState.ERROR
                || newState == RunState.COMPLETED;
        if (action.type() == RequestedAction.CANCEL && settled) {
          done = RequestedAction.CANCEL;
        } else if (action.type() == RequestedAction.RETRY
            && run.actionStarted
            && attempt >= run.retryAttempt) {
          done = RequestedAction.RETRY;
        } else if (observation == null) {
          done = action.type(); // the run ended without the engine: the request is moot
        }
      }
      List<TaskRunReport> tasks =
          observation == null
              ? List.of()
              : observation.tasks().stream()
                  .map(
                      t ->
                          new TaskRunReport(
                              t.taskTitle(),
                              TaskRunState.valueOf(t.state().name()),
                              t.attempt(),
                              t.externalId(),
                              t.startedAt(),
                              t.finishedAt(),
                              t.message()))
                  .toList();
      report =
          new StatusReport(
              run.leaseToken,
              newState,
              attempt,
              run.externalId,
              observation != null ? observation.message() : message,
              observation != null ? observation.startedAt() : null,
              observation != null ? observation.finishedAt() : java.time.Instant.now(),
              done,
              tasks);
      if (report.equals(run.lastReport)) {
        return;
      }
    }
    WorkflowRun answer = api.runs().reportStatus(run.id, report);
    metrics.reported();
    synchronized (run) {
      run.lastReport = report;
      run.state = answer.lifecycleStatus();
      run.attempt = Math.max(run.attempt, answer.attempt());
      if (report.actionDone() != null && answer.requestedAction() == null) {
        run.action = null;
        run.actionStarted = false;
      }
      if (run.settledWithoutAction()) {
        held.remove(run.id, run); // nothing left to do; a new request comes back through a claim
      }
    }
  }

  /** Observes every held, submitted run in one batch and wakes those whose state moved. */
  private void syncAll() {
    if (!running || held.isEmpty()) {
      return;
    }
    try {
      Map<String, HeldRun> byId = new java.util.HashMap<>();
      List<RunRef> refs = new ArrayList<>();
      for (HeldRun run : held.values()) {
        synchronized (run) {
          if (run.externalId == null || run.busy) {
            continue;
          }
          Deployment deployment =
              deployments.get(
                  run.claimed.workflow().id() + "#" + run.claimed.workflow().increment());
          refs.add(
              new RunRef(
                  run.id.toString(),
                  run.externalId,
                  deployment == null ? null : deployment.engineRef(),
                  Math.max(1, run.attempt)));
          byId.put(run.id.toString(), run);
        }
      }
      if (refs.isEmpty()) {
        return;
      }
      List<RunObservation> observations = timed("observe_all", () -> adapter.observeAll(refs));
      for (RunObservation observation : observations) {
        HeldRun run = byId.remove(observation.runId());
        if (run != null) {
          synchronized (run) {
            run.pendingObservation = observation;
          }
          schedule(run);
        }
      }
      byId.values().forEach(this::schedule); // unknown to the engine: reconcile reports why
    } catch (AdapterException | RuntimeException e) {
      LOG.log(Level.WARNING, "syncing runs failed: " + e.getMessage());
    }
  }

  /**
   * Reads {@code workflow.archived} events after the last one seen (from the start after each start
   * of the runtime: retiring is idempotent) and lets the adapter retire those workflows of its
   * engine.
   */
  private void retireArchivedWorkflows() {
    if (!running || !registered) {
      return;
    }
    try {
      while (true) {
        Page<Event> page =
            api.events()
                .list(
                    Query.events().type("workflow.archived").after(archivedEventsSeen).limit(100));
        for (Event event : page.items()) {
          try {
            retire(UUID.fromString(event.objectId()));
          } catch (AdapterException e) {
            if (e.retryable()) {
              throw e; // the engine is away: try this event again next time
            }
            // Refused for good: say so, and do not let it hold up the events after it.
            LOG.log(
                Level.WARNING,
                "the engine refused to retire archived workflow "
                    + event.objectId()
                    + ": "
                    + e.getMessage());
          }
          archivedEventsSeen = event.seq();
        }
        if (page.items().size() < 100) {
          return;
        }
      }
    } catch (AdapterException | RuntimeException e) {
      LOG.log(Level.WARNING, "retiring archived workflows failed: " + e.getMessage());
    }
  }

  private void retire(UUID workflowId) throws AdapterException {
    Workflow workflow;
    try {
      workflow = api.workflows().get(workflowId);
    } catch (ProblemException.NotFoundException e) {
      return; // deleted for good since
    }
    if (!factory.workflowEngine().equals(workflow.workflowEngine())) {
      return;
    }
    List<String> engineRefs =
        api.workflows()
            .revisionsAll(workflowId, Query.workflows().limit(500))
            .map(WorkflowRevision::engineRef)
            .filter(java.util.Objects::nonNull)
            .distinct()
            .toList();
    if (!engineRefs.isEmpty()) {
      timedRun("retire", () -> adapter.retire(workflowId.toString(), engineRefs));
      LOG.info(() -> "retired archived workflow " + workflowId + " in the engine: " + engineRefs);
    }
  }

  // --- engine calls ----------------------------------------------------------------------------

  private interface EngineCall<T> {
    T call() throws AdapterException;
  }

  private interface EngineAction {
    void run() throws AdapterException;
  }

  private <T> T timed(String operation, EngineCall<T> call) throws AdapterException {
    long started = System.nanoTime();
    try {
      T result = call.call();
      metrics.engineCall(operation, "ok", System.nanoTime() - started);
      return result;
    } catch (AdapterException e) {
      metrics.engineCall(
          operation,
          e.code().name().toLowerCase(java.util.Locale.ROOT),
          System.nanoTime() - started);
      throw e;
    } catch (RuntimeException e) {
      metrics.engineCall(operation, "exception", System.nanoTime() - started);
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "the adapter failed: " + e, e);
    }
  }

  private void timedRun(String operation, EngineAction action) throws AdapterException {
    timed(
        operation,
        () -> {
          action.run();
          return null;
        });
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /**
   * Stops claiming, lets running reconciles finish (up to 10 s), closes the adapter, and
   * unregisters, which releases every run it held at once for another instance.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    claimLoop.interrupt();
    timers.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    adapter.close();
    try {
      if (registered) {
        api.adapters().deregister(config.instanceId());
      }
    } catch (WorkflowApiClientException e) {
      LOG.log(
          Level.INFO,
          "could not unregister; the service frees the runs after the lease: " + e.getMessage());
    }
    endpoint.close();
    LOG.info(() -> "adapter runtime " + config.instanceId() + " stopped");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String advertisedHost(String listenHost) {
    if (!listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
      return listenHost;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private final class Context implements AdapterContext {
    @Override
    public String instanceId() {
      return config.instanceId();
    }

    @Override
    public Path dataDirectory() {
      return config.dataDirectory();
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public void runChanged(String runId) {
      try {
        HeldRun run = held.get(java.util.UUID.fromString(runId));
        if (run != null && running) {
          schedule(run);
        }
      } catch (IllegalArgumentException e) {
        // not one of ours
      }
    }
  }
}
