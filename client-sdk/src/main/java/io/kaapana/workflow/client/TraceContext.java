package io.kaapana.workflow.client;

import java.util.Map;

/**
 * The W3C trace context a request carries ({@link WorkflowApiClient.Builder#traceContext}): asked
 * on the calling thread for every request, so a caller inside a span (for example with
 * OpenTelemetry's {@code W3CTraceContextPropagator} injecting {@code Context.current()}) has the
 * service's spans join its trace. Only {@code traceparent} and {@code tracestate} are sent.
 */
@FunctionalInterface
public interface TraceContext {
  /** The headers of the calling thread's trace context; empty outside a trace. */
  Map<String, String> headers();
}
