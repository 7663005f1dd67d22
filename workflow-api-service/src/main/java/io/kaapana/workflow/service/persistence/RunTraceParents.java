package io.kaapana.workflow.service.persistence;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The W3C {@code traceparent} stored with each run: the span of the request that created it (the
 * run's insert records it, see {@link JdbcRunRepository#insert}), handed to the adapter with each
 * claim so that its engine calls and status reports join the run's trace (ADR 0035).
 */
@ApplicationScoped
public class RunTraceParents {
  private final Jdbc jdbc;

  public RunTraceParents(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The calling thread's span as a {@code traceparent}, or null outside a trace (tracing off). */
  static String ofCurrentSpan() {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** The stored trace parents of these runs; runs created outside a trace are missing. */
  public Map<UUID, String> of(Collection<UUID> runIds) {
    Map<UUID, String> found = new HashMap<>();
    if (runIds.isEmpty()) {
      return found;
    }
    jdbc.query(
        "SELECT id, trace_parent FROM workflow_runs WHERE id = ANY (?) AND trace_parent IS NOT NULL",
        List.of((Object) runIds.toArray(UUID[]::new)), // one parameter: the array
        rs -> found.put(rs.getObject(1, UUID.class), rs.getString(2)));
    return found;
  }
}
