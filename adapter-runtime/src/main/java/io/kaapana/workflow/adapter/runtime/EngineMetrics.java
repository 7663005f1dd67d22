package io.kaapana.workflow.adapter.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What the runtime measures, in Prometheus' text format at {@code GET /metrics} of its endpoint
 * (Micrometer's Prometheus registry, as in the service): runs held, engine calls by operation and
 * outcome with the time they took, status reports, leases lost.
 */
final class EngineMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter reports;
  private final Counter leasesLost;

  EngineMetrics(IntSupplier runsHeld) {
    Gauge.builder("kaapana.adapter.runs.held", runsHeld, s -> s.getAsInt())
        .description("Runs this adapter instance holds")
        .register(registry);
    reports =
        Counter.builder("kaapana.adapter.status.reports")
            .description("Status reports the service accepted")
            .register(registry);
    leasesLost =
        Counter.builder("kaapana.adapter.leases.lost")
            .description("Runs dropped because another adapter holds their lease now")
            .register(registry);
  }

  /** One call into the adapter: its operation, how it ended, how long it took. */
  void engineCall(String operation, String outcome, long elapsedNanos) {
    Timer.builder("kaapana.adapter.engine.call")
        .description("Calls into the engine adapter")
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry)
        .record(Duration.ofNanos(elapsedNanos));
  }

  void reported() {
    reports.increment();
  }

  void leaseLost() {
    leasesLost.increment();
  }

  String prometheus() {
    return registry.scrape();
  }
}
