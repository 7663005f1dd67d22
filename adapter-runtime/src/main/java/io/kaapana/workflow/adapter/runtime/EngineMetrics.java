package io.kaapana.workflow.adapter.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What the runtime measures, in Prometheus' text format at {@code GET /metrics} of its endpoint:
 * runs held, and per engine operation the calls, errors and time spent.
 */
final class EngineMetrics {
  private record Key(String operation, String outcome) {}

  private final Map<Key, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final LongAdder reports = new LongAdder();
  private final LongAdder leasesLost = new LongAdder();
  private final IntSupplier runsHeld;

  EngineMetrics(IntSupplier runsHeld) {
    this.runsHeld = runsHeld;
  }

  void engineCall(String operation, String outcome, long elapsedNanos) {
    calls.computeIfAbsent(new Key(operation, outcome), k -> new LongAdder()).increment();
    nanos.computeIfAbsent(operation, k -> new LongAdder()).add(elapsedNanos);
  }

  void reported() {
    reports.increment();
  }

  void leaseLost() {
    leasesLost.increment();
  }

  String prometheus() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP kaapana_adapter_runs_held Runs this adapter instance holds.\n");
    out.append("# TYPE kaapana_adapter_runs_held gauge\n");
    out.append("kaapana_adapter_runs_held ").append(runsHeld.getAsInt()).append('\n');
    out.append("# HELP kaapana_adapter_engine_calls_total Calls into the engine adapter.\n");
    out.append("# TYPE kaapana_adapter_engine_calls_total counter\n");
    new TreeMap<String, Long>(
            calls.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e ->
                            "{operation=\""
                                + e.getKey().operation()
                                + "\",outcome=\""
                                + e.getKey().outcome()
                                + "\"}",
                        e -> e.getValue().sum())))
        .forEach(
            (labels, value) ->
                out.append("kaapana_adapter_engine_calls_total")
                    .append(labels)
                    .append(' ')
                    .append(value)
                    .append('\n'));
    out.append("# HELP kaapana_adapter_engine_call_seconds_sum Time spent in engine calls.\n");
    out.append("# TYPE kaapana_adapter_engine_call_seconds_sum counter\n");
    new TreeMap<>(nanos)
        .forEach(
            (operation, total) ->
                out.append("kaapana_adapter_engine_call_seconds_sum{operation=\"")
                    .append(operation)
                    .append("\"} ")
                    .append(total.sum() / 1e9)
                    .append('\n'));
    out.append("# TYPE kaapana_adapter_status_reports_total counter\n");
    out.append("kaapana_adapter_status_reports_total ").append(reports.sum()).append('\n');
    out.append("# TYPE kaapana_adapter_leases_lost_total counter\n");
    out.append("kaapana_adapter_leases_lost_total ").append(leasesLost.sum()).append('\n');
    return out.toString();
  }
}
