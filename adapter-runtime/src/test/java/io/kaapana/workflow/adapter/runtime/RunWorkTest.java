package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.client.model.RunState;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When held runs are reconciled: a late engine is retried with backoff, a lost lease drops. */
class RunWorkTest {
  private final Fakes.Service service = new Fakes.Service();
  private final Fakes.Engine engine = new Fakes.Engine();
  private final Map<UUID, HeldRun> held = new ConcurrentHashMap<>();
  private final EngineMetrics metrics = new EngineMetrics(held::size);
  private final EngineCalls calls =
      new EngineCalls(engine, metrics, RunTracing.passOnOnly(), "fake");
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final BooleanSupplier running = () -> true;
  private final Reconciler reconciler =
      new Reconciler(
          held, service, calls, new Deployments(service, calls), metrics, Clock.systemUTC());
  private final RunWork work =
      new RunWork(
          held,
          reconciler,
          metrics,
          timers, // the reconciles run on the timer thread, one at a time
          timers,
          running);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** Waits until {@code condition} holds, at most 20 s. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 20 s");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anEngineThatComesUpLateGetsTheRunOnceItAnswers() throws Exception {
    engine.unavailableCalls = 2; // deploy fails twice: 1 s, then 2 s of backoff
    UUID runId = UUID.randomUUID();

    work.hold(Fakes.claimed(runId, UUID.randomUUID(), null));

    await(
        () ->
            engine.calls.contains("submit")
                && !service.reports.isEmpty()
                && service.last().externalId() != null);
    assertThat(engine.calls).containsSubsequence("deploy", "deploy", "deploy", "submit");
    assertThat(service.reports.get(0).statusMessage()).startsWith("the engine is unavailable");
    assertThat(service.last().lifecycleStatus()).isEqualTo(RunState.RUNNING);
    assertThat(held).containsKey(runId);
  }

  @Test
  void aRunWhoseLeaseWasLostIsDroppedAndNotTriedAgain() throws Exception {
    UUID runId = UUID.randomUUID();
    service.leaseLost = true;

    work.hold(Fakes.claimed(runId, UUID.randomUUID(), null));

    await(() -> !held.containsKey(runId));
    int callsWhenDropped = engine.calls.size();
    engine.state = EngineRunState.COMPLETED;
    work.wake(runId);
    Thread.sleep(300);
    assertThat(engine.calls).hasSize(callsWhenDropped);
    assertThat(service.reports).isEmpty();
  }

  @Test
  void aSlowEngineNeverHasOneRunReconciledTwiceAtOnceYetEveryWakeIsHonoured() throws Exception {
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
    try {
      RunWork parallel =
          new RunWork(
              held,
              reconciler,
              metrics,
              pool, // four workers: only HeldRun's own guard keeps one run's reconciles apart
              timers,
              running);
      engine.callMillis = 100;
      UUID runId = UUID.randomUUID();
      parallel.hold(Fakes.claimed(runId, UUID.randomUUID(), null));
      await(() -> engine.calls.contains("submit"));

      engine.state = EngineRunState.COMPLETED;
      for (int i = 0; i < 20; i++) {
        parallel.wake(runId); // while a reconcile is in the engine
        Thread.sleep(10);
      }

      await(
          () ->
              !service.reports.isEmpty() && service.last().lifecycleStatus() == RunState.COMPLETED);
      assertThat(engine.mostAtOnce.get()).isEqualTo(1);
      assertThat(engine.calls).contains("observe");
    } finally {
      pool.shutdownNow();
    }
  }
}
