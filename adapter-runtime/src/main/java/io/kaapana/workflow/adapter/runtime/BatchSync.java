package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Observes every held, submitted run in one batch ({@code observeAll}) and wakes those whose state
 * moved, so that an adapter without change notifications is still read in one call per interval
 * rather than one per run.
 */
final class BatchSync {
  private static final Logger LOG = Logger.getLogger(BatchSync.class.getName());

  private final Map<UUID, HeldRun> held;
  private final EngineCalls engine;
  private final Deployments deployments;
  private final RunWork work;

  BatchSync(Map<UUID, HeldRun> held, EngineCalls engine, Deployments deployments, RunWork work) {
    this.held = held;
    this.engine = engine;
    this.deployments = deployments;
    this.work = work;
  }

  void syncAll() {
    if (held.isEmpty()) {
      return;
    }
    try {
      Map<String, HeldRun> byId = new HashMap<>();
      List<RunRef> refs = new ArrayList<>();
      for (HeldRun run : held.values()) {
        RunRef ref = run.syncRef(deployments);
        if (ref != null) {
          refs.add(ref);
          byId.put(run.id.toString(), run);
        }
      }
      if (refs.isEmpty()) {
        return;
      }
      List<RunObservation> observations = engine.observeAll(refs);
      for (RunObservation observation : observations) {
        HeldRun run = byId.remove(observation.runId());
        if (run != null) {
          run.observed(observation);
          work.schedule(run);
        }
      }
      byId.values().forEach(work::schedule); // unknown to the engine: reconcile reports why
    } catch (AdapterException | RuntimeException e) {
      LOG.log(Level.WARNING, "syncing runs failed: " + e.getMessage());
    }
  }
}
