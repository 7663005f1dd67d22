package io.kaapana.workflow.adapter.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import io.kaapana.workflow.adapter.support.Backoff;
import io.kaapana.workflow.adapter.support.DaemonThreads;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Capability;
import io.kaapana.workflow.client.model.ClaimRequest;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hosts one engine adapter: registers it with the Workflow API and heartbeats, long-polls claims
 * for its label selector, and reconciles what it holds — deploys and validates revisions, submits
 * runs, mirrors engine state into status reports, carries out requested cancels and retries — with
 * at most {@code adapter.concurrency} engine calls at once and backoff on failures. It serves the
 * adapter's log endpoint, and at {@link #close()} stops the adapter and releases its runs.
 *
 * <p>The work is done by parts with one job each: {@link Registration} (registration, heartbeats,
 * claims, validation), {@link RunWork} (when each held run is reconciled), {@link Reconciler} (one
 * run and the engine in step), {@link BatchSync}, {@link ArchiveRetirer}, {@link Deployments}
 * (bounded caches) and {@link EngineCalls} (every adapter call, timed); they reach the service
 * through {@link ServiceCalls}.
 *
 * <p>Runs stand-alone ({@link AdapterRuntimeMain}) or embedded ({@link #start(RuntimeConfig)}).
 */
public final class AdapterRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AdapterRuntime.class.getName());
  private static final String VERSION = "0.1.0";

  private final RuntimeConfig config;
  private final WorkflowAdapterFactory factory;
  private final WorkflowAdapter adapter;
  private final EngineMetrics metrics;
  private final RunTracing tracing;
  private final AdapterEndpoint endpoint;
  private final String endpointUrl;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Thread claimLoop;
  private final Map<UUID, HeldRun> held = new ConcurrentHashMap<>();
  private final Registration registration;
  private final RunWork work;
  private final BatchSync sync;
  private final ArchiveRetirer retirer;
  private volatile boolean running = true;

  private AdapterRuntime(RuntimeConfig config, OpenTelemetry hostTelemetry)
      throws AdapterException {
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
    LogFields.adapter(config.instanceId());
    this.tracing =
        hostTelemetry != null
            ? RunTracing.sharing(hostTelemetry)
            : RunTracing.configured(
                factory.id(), config.instanceId(), System.getenv(), System.getProperties());
    try {
      this.adapter =
          createAdapter(factory, config.adapterConfig(), new Context(), AdapterRuntime::sleep);
    } catch (AdapterException | RuntimeException e) {
      tracing.close();
      throw e;
    }
    ServiceCalls service =
        new ClientServiceCalls(
            WorkflowApiClient.builder(config.apiUrl())
                .actor("adapter:" + config.instanceId())
                .accessTokens(config.accessTokens())
                .requestTimeout(Duration.ofSeconds(30))
                .traceContext(tracing.headers())
                .build(),
            tracing);
    AdapterEndpoint started;
    try {
      started =
          new AdapterEndpoint(
              config.listenHost(),
              config.listenPort(),
              adapter,
              metrics,
              new ObjectMapper(),
              config.serviceTokens());
    } catch (IOException e) {
      adapter.close();
      tracing.close();
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
    this.workers =
        Executors.newFixedThreadPool(config.concurrency(), DaemonThreads.named("adapter-worker"));
    this.timers = Executors.newScheduledThreadPool(1, DaemonThreads.named("adapter-timer"));

    EngineCalls engine = new EngineCalls(adapter, metrics, tracing, factory.workflowEngine());
    Deployments deployments = new Deployments(service, engine);
    Reconciler reconciler =
        new Reconciler(held, service, engine, deployments, metrics, Clock.systemUTC());
    this.work = new RunWork(held, reconciler, metrics, workers, timers, () -> running);
    this.sync = new BatchSync(held, engine, deployments, work);
    this.retirer = new ArchiveRetirer(service, engine, factory.workflowEngine());
    this.registration =
        new Registration(
            config.instanceId(),
            this::registration,
            new ClaimRequest(config.claimLimit(), (int) config.claimWait().toSeconds()),
            service,
            deployments,
            work::hold,
            workers,
            () -> running);
    this.claimLoop = new Thread(registration::claimLoop, "adapter-claims");
    this.claimLoop.setDaemon(true);
  }

  /**
   * Starts a runtime. Returns at once; registration waits in the background until the Workflow API
   * answers.
   *
   * @throws AdapterException when the adapter is missing, ambiguous or misconfigured
   */
  public static AdapterRuntime start(RuntimeConfig config) throws AdapterException {
    return start(config, null);
  }

  /**
   * Starts a runtime embedded in a host with its own OpenTelemetry (the quick start's service): the
   * runs' spans go through it instead of an SDK of the runtime's own ({@code OTEL_*}, ADR 0035).
   *
   * @throws AdapterException when the adapter is missing, ambiguous or misconfigured
   */
  public static AdapterRuntime start(RuntimeConfig config, OpenTelemetry hostTelemetry)
      throws AdapterException {
    AdapterRuntime runtime = new AdapterRuntime(config, hostTelemetry);
    runtime.claimLoop.start();
    long heartbeat = Math.max(1, config.leaseSeconds() / 3);
    runtime.timers.scheduleWithFixedDelay(
        runtime.registration::heartbeat, heartbeat, heartbeat, TimeUnit.SECONDS);
    long sync = Math.max(100, config.syncInterval().toMillis());
    runtime.timers.scheduleWithFixedDelay(
        () -> {
          if (runtime.running) {
            runtime.sync.syncAll();
          }
        },
        sync,
        sync,
        TimeUnit.MILLISECONDS);
    runtime.timers.scheduleWithFixedDelay(
        () -> {
          if (runtime.running && runtime.registration.isRegistered()) {
            runtime.retirer.retireArchivedWorkflows();
          }
        },
        sync,
        sync,
        TimeUnit.MILLISECONDS);
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
    return registration.isRegistered();
  }

  /** How many runs this runtime holds now. */
  public int runsHeld() {
    return held.size();
  }

  private AdapterRegistration registration() {
    List<Capability> capabilities =
        adapter.capabilities().stream().map(Vocabulary::capability).toList();
    return new AdapterRegistration(
        factory.workflowEngine(),
        config.labelSelector().isEmpty() ? null : config.labelSelector(),
        capabilities,
        endpointUrl,
        factory.id() + "/" + VERSION,
        config.leaseSeconds());
  }

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
    registration.deregister();
    endpoint.close();
    tracing.close(); // exports the last spans
    LOG.info(() -> "adapter runtime " + config.instanceId() + " stopped");
  }

  /** Waits; false when interrupted. */
  interface Sleeper {
    boolean sleep(long millis);
  }

  /**
   * Creates the adapter; while the engine cannot be reached yet ({@code UNAVAILABLE}, as the SPI
   * promises) it tries again with backoff (0.5 s doubling to 30 s, jittered) for as long as it
   * takes, so a sidecar started before its engine waits for it instead of exiting.
   */
  static WorkflowAdapter createAdapter(
      WorkflowAdapterFactory factory, AdapterConfig config, AdapterContext context, Sleeper sleeper)
      throws AdapterException {
    Backoff backoff = new Backoff(RunWork.INITIAL_BACKOFF_MILLIS, RunWork.MAX_BACKOFF_MILLIS);
    while (true) {
      try {
        return factory.create(config, context);
      } catch (AdapterException e) {
        if (!e.retryable()) {
          throw e;
        }
        long wait = backoff.next();
        LOG.log(
            Level.WARNING,
            "the engine of adapter '"
                + factory.id()
                + "' cannot be reached yet, trying again in "
                + wait
                + " ms: "
                + e.getMessage());
        if (!sleeper.sleep(wait)) {
          throw e;
        }
      }
    }
  }

  /** Waits; false when interrupted (the flag is kept). */
  static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
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

  /** What the adapter may ask of its host. */
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
      RunWork current = work; // null while the adapter is still being created
      if (current == null) {
        return;
      }
      try {
        current.wake(UUID.fromString(runId));
      } catch (IllegalArgumentException e) {
        // not one of ours
      }
    }
  }
}
