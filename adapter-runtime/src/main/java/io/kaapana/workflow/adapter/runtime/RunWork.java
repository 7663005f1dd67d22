package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.Backoff;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runs this runtime holds, and when each is reconciled: at once when it is claimed or woken,
 * never twice at the same time, once more when woken during a reconcile, and after a failure with
 * exponential backoff (0.5 s doubling to 30 s, jittered). A lost lease drops the run.
 */
final class RunWork {
  private static final Logger LOG = Logger.getLogger(RunWork.class.getName());

  /** Backoff after failures in a row: from this, doubling, with jitter ({@link Backoff}). */
  static final long INITIAL_BACKOFF_MILLIS = 500;

  /** The longest backoff. */
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Map<UUID, HeldRun> held;
  private final Reconciler reconciler;
  private final EngineMetrics metrics;
  private final Executor workers;
  private final ScheduledExecutorService timers;
  private final BooleanSupplier running;

  RunWork(
      Map<UUID, HeldRun> held,
      Reconciler reconciler,
      EngineMetrics metrics,
      Executor workers,
      ScheduledExecutorService timers,
      BooleanSupplier running) {
    this.held = held;
    this.reconciler = reconciler;
    this.metrics = metrics;
    this.workers = workers;
    this.timers = timers;
    this.running = running;
  }

  /** Takes a claimed run (new, or handed back with a requested action) and reconciles it. */
  void hold(ClaimedWorkflowRun claimed) {
    HeldRun run =
        held.compute(
            claimed.id(),
            (id, existing) -> {
              if (existing == null) {
                return new HeldRun(claimed);
              }
              existing.update(claimed);
              return existing;
            });
    schedule(run);
  }

  /** Wakes a held run (its engine state may have changed); unknown ids are ignored. */
  void wake(UUID runId) {
    HeldRun run = held.get(runId);
    if (run != null && running.getAsBoolean()) {
      schedule(run);
    }
  }

  void schedule(HeldRun run) {
    if (!run.tryStartWork()) {
      return; // running: it runs once more after
    }
    try {
      workers.execute(() -> work(run));
    } catch (RejectedExecutionException e) {
      run.finishWork(); // shutting down
    }
  }

  /** One reconcile in the run's trace, its log lines naming the run. */
  private void work(HeldRun run) {
    try (Scope trace = RunTracing.runContext(run.traceparent()).makeCurrent();
        LogFields.Scope fields = LogFields.run(run.id)) {
      reconcileOnce(run);
    }
  }

  private void reconcileOnce(HeldRun run) {
    long delay = 0;
    try {
      if (running.getAsBoolean()) {
        reconciler.reconcile(run);
        run.workSucceeded();
      }
    } catch (ProblemException.LeaseLostException e) {
      metrics.leaseLost();
      held.remove(run.id);
      LOG.info(() -> "lost the lease of run " + run.id + "; another adapter holds it now");
    } catch (AdapterException e) {
      if (e.retryable()) {
        delay = backoff(run);
        reconciler.tellWhyItWaits(
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
      boolean again = run.finishWork();
      if (delay > 0 && running.getAsBoolean()) {
        timers.schedule(() -> schedule(run), delay, TimeUnit.MILLISECONDS);
      } else if (again && running.getAsBoolean()) {
        schedule(run);
      }
    }
  }

  private static long backoff(HeldRun run) {
    return Backoff.delay(INITIAL_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS, run.workFailed());
  }
}
