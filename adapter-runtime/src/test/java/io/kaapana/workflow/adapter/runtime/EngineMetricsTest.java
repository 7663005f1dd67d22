package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineMetricsTest {
  @Test
  void callsAreCountedAndTimedPerOperationAndOutcomeWithEscapedLabels() {
    EngineMetrics metrics = new EngineMetrics(() -> 3);
    metrics.engineCall("submit", "ok", 2_000_000_000L);
    metrics.engineCall("submit", "ok", 1_000_000_000L);
    metrics.engineCall("observe", "say \"hi\"\n", 1_000L);
    metrics.reported();
    metrics.leaseLost();

    String text = metrics.prometheus();

    assertThat(text)
        .contains("kaapana_adapter_runs_held 3.0")
        .contains(
            "kaapana_adapter_engine_call_seconds_count{operation=\"submit\",outcome=\"ok\",} 2.0")
        .contains(
            "kaapana_adapter_engine_call_seconds_sum{operation=\"submit\",outcome=\"ok\",} 3.0")
        .contains("outcome=\"say \\\"hi\\\"\\n\"")
        .contains("kaapana_adapter_status_reports_total 1.0")
        .contains("kaapana_adapter_leases_lost_total 1.0");
  }
}
