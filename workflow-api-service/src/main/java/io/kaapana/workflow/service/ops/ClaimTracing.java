package io.kaapana.workflow.service.ops;

import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.service.persistence.RunTraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Puts a claim into the traces of the runs it hands out: reads each run's stored {@code
 * traceparent} (to give to the adapter, which sends it on its calls about the run) and records a
 * span "workflow-run claimed" in that trace. Tracing is best effort: when the look-up fails the
 * claim is answered without trace parents rather than lost.
 */
@ApplicationScoped
public class ClaimTracing {
  private static final Logger LOG = Logger.getLogger(ClaimTracing.class);

  private final RunTraceParents traceParents;
  private final Tracer tracer;
  private final Vertx vertx;

  public ClaimTracing(RunTraceParents traceParents, Tracer tracer, Vertx vertx) {
    this.traceParents = traceParents;
    this.tracer = tracer;
    this.vertx = vertx;
  }

  /** The trace parents of the claimed runs that have one; never fails. */
  public CompletionStage<Map<UUID, String>> traceParents(String adapterId, Claim claim) {
    if (claim.runs().isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    List<UUID> ids = claim.runs().stream().map(c -> c.run().id()).toList();
    return vertx
        .<Map<UUID, String>>executeBlocking(() -> traceParents.of(ids), false)
        .map(
            found -> {
              for (Claim.ClaimedRun claimed : claim.runs()) {
                String parent = found.get(claimed.run().id());
                if (parent != null) {
                  recordClaimed(adapterId, claimed, parent);
                }
              }
              return found;
            })
        .otherwise(
            failure -> {
              // LogHygiene escapes what the line carries.
              LOG.debugf(
                  "claim of adapter %s answered without trace parents: %s", adapterId, failure);
              return Map.of();
            })
        .toCompletionStage();
  }

  private void recordClaimed(String adapterId, Claim.ClaimedRun claimed, String traceParent) {
    // Stored as 00-<trace id>-<span id>-<flags>, which the database checks.
    String[] parts = traceParent.split("-");
    Context parent =
        Context.root()
            .with(
                Span.wrap(
                    SpanContext.createFromRemoteParent(
                        parts[1],
                        parts[2],
                        TraceFlags.fromHex(parts[3], 0),
                        TraceState.getDefault())));
    Span span =
        tracer
            .spanBuilder("workflow-run claimed")
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute("kaapana.run.id", claimed.run().id().toString())
            .setAttribute("kaapana.adapter.id", adapterId)
            .setAttribute("kaapana.run.attempt", claimed.run().attempt())
            .setAttribute("kaapana.lease.expires_at", claimed.leaseExpiresAt().toString())
            .startSpan();
    span.end();
  }
}
