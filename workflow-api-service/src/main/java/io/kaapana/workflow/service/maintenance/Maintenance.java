package io.kaapana.workflow.service.maintenance;

import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.service.persistence.ChangeSignal;
import io.kaapana.workflow.service.persistence.DatabaseFaults;
import io.kaapana.workflow.service.persistence.EventSequencer;
import io.kaapana.workflow.service.persistence.IdempotencyStore;
import io.kaapana.workflow.service.persistence.Jdbc;
import io.kaapana.workflow.service.persistence.JdbcAdapterRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Periodic work: lost adapters, unserved runs, expired idempotency keys, gauges. */
@ApplicationScoped
public class Maintenance {
  private final AdapterCommands adapters;
  private final JdbcAdapterRepository adapterStore;
  private final IdempotencyStore idempotency;
  private final EventSequencer sequencer;
  private final ChangeSignal signal;
  private final Jdbc jdbc;
  private final Clock clock;
  private final Duration idempotencyRetention;
  private final Map<RunState, AtomicLong> runsByState = new EnumMap<>(RunState.class);
  private final AtomicLong activeAdapters = new AtomicLong();

  public Maintenance(
      AdapterCommands adapters,
      JdbcAdapterRepository adapterStore,
      IdempotencyStore idempotency,
      EventSequencer sequencer,
      ChangeSignal signal,
      Jdbc jdbc,
      Clock clock,
      MeterRegistry metrics,
      @ConfigProperty(name = "kaapana.idempotency.retention", defaultValue = "PT24H")
          Duration idempotencyRetention) {
    this.adapters = adapters;
    this.adapterStore = adapterStore;
    this.idempotency = idempotency;
    this.sequencer = sequencer;
    this.signal = signal;
    this.jdbc = jdbc;
    this.clock = clock;
    this.idempotencyRetention = idempotencyRetention;
    for (RunState state : RunState.values()) {
      AtomicLong value = new AtomicLong();
      runsByState.put(state, value);
      Gauge.builder("kaapana_workflow_runs", value, AtomicLong::doubleValue)
          .tag("state", state.name())
          .register(metrics);
    }
    Gauge.builder("kaapana_adapters_active", activeAdapters, AtomicLong::doubleValue)
        .register(metrics);
  }

  @Scheduled(
      every = "${kaapana.maintenance.interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    try {
      int lost = QuarkusTransaction.requiringNew().call(adapters::sweepLost);
      QuarkusTransaction.requiringNew().call(adapterStore::noteRunsWithoutAdapter);
      // also numbers events whose writer committed but could not number them (it died, or the
      // database went away between its commit and the numbering)
      int numbered = sequencer.sequenceCommitted();
      if (lost > 0 || numbered > 0) {
        signal.signal(); // freed runs are work for waiting claims; new events for streams
      }
    } catch (RuntimeException e) {
      if (!DatabaseFaults.isUnavailable(e)) {
        throw e;
      }
      DatabaseFaults.warn("the maintenance sweep", e);
    }
  }

  @Scheduled(every = "1h", delayed = "1m")
  void expireIdempotencyKeys() {
    QuarkusTransaction.requiringNew()
        .call(() -> idempotency.deleteOlderThan(clock.instant().minus(idempotencyRetention)));
  }

  /** Counts by state: one grouped scan of the runs table, so not more often than once a minute. */
  @Scheduled(every = "60s")
  void refreshGauges() {
    try {
      refreshGaugesNow();
    } catch (RuntimeException e) {
      if (!DatabaseFaults.isUnavailable(e)) {
        throw e;
      }
      DatabaseFaults.warn("the gauges' refresh", e);
    }
  }

  private void refreshGaugesNow() {
    List<Object[]> rows =
        jdbc.query(
            "SELECT lifecycle_status, count(*) FROM workflow_runs GROUP BY lifecycle_status",
            List.of(),
            rs -> new Object[] {rs.getString(1), rs.getLong(2)});
    runsByState.values().forEach(v -> v.set(0));
    for (Object[] row : rows) {
      runsByState.get(RunState.valueOf((String) row[0])).set((long) row[1]);
    }
    activeAdapters.set(adapters.active().size());
  }
}
