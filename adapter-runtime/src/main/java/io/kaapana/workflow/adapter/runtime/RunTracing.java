package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.client.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The runs' traces in the runtime (ADR 0035). A claimed run brings the {@code traceparent} of the
 * request that created it; while the runtime works on the run that context is current, so the
 * engine calls that change something (deploy, submit, cancel, retry) and each status report are
 * spans in the run's trace, and every call to the Workflow API carries the current context as its
 * {@code traceparent} (the service's spans join too).
 *
 * <p>Spans are exported by the OpenTelemetry SDK, configured by the standard {@code OTEL_*}
 * environment variables ({@code otel.*} system properties): off unless {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set, OTLP over HTTP
 * (protobuf), traces only. With the SDK off the run's context is still passed on, so the service's
 * spans join the run's trace either way.
 */
final class RunTracing implements AutoCloseable {
  private static final String INSTRUMENTATION = "io.kaapana.workflow.adapter.runtime";
  private static final AttributeKey<String> INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  /** The SDK this runtime started and so stops; null when it has none or shares its host's. */
  private final OpenTelemetrySdk ownSdk;

  private RunTracing(OpenTelemetry openTelemetry, OpenTelemetrySdk ownSdk) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.ownSdk = ownSdk;
  }

  /** No export; runs' contexts are still passed on to the service. */
  static RunTracing passOnOnly() {
    return new RunTracing(OpenTelemetry.noop(), null);
  }

  /**
   * Spans through the OpenTelemetry of the host the runtime is embedded in (the quick start's
   * service), which configures, exports and stops it.
   */
  static RunTracing sharing(OpenTelemetry host) {
    return new RunTracing(host, null);
  }

  /**
   * From the {@code OTEL_*} variables in {@code environment} and {@code otel.*} properties.
   *
   * @throws AdapterException when they are invalid (an unknown exporter or protocol, say)
   */
  static RunTracing configured(
      String adapterKind, String instanceId, Map<String, String> environment, Properties properties)
      throws AdapterException {
    Map<String, String> settings = new HashMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    properties.stringPropertyNames().stream()
        .filter(name -> name.startsWith("otel."))
        .forEach(name -> settings.put(name, properties.getProperty(name)));
    boolean endpointSet =
        !settings.getOrDefault("otel.exporter.otlp.endpoint", "").isBlank()
            || !settings.getOrDefault("otel.exporter.otlp.traces.endpoint", "").isBlank();
    if (!endpointSet && !"false".equals(settings.get("otel.sdk.disabled"))) {
      return passOnOnly();
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "kaapana-workflow-adapter-" + adapterKind);
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.putAll(settings); // what the operator set wins
    try {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .disableShutdownHook() // close() flushes; the runtime's own hook calls it
              .addPropertiesSupplier(() -> defaults)
              .addResourceCustomizer(
                  (resource, config) ->
                      resource.merge(Resource.create(Attributes.of(INSTANCE_ID, instanceId))))
              .setServiceClassLoader(RunTracing.class.getClassLoader())
              .build()
              .getOpenTelemetrySdk();
      return new RunTracing(sdk, sdk);
    } catch (RuntimeException e) { // the SDK's ConfigurationException and what it wraps
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "the OpenTelemetry settings (OTEL_*) are invalid: " + e, e);
    }
  }

  /** The context of a claimed run's trace; the empty context when it has none or it is invalid. */
  static Context runContext(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), traceparent, TRACEPARENT_ONLY);
  }

  /** The current context as headers, for the client SDK ({@link TraceContext}). */
  TraceContext headers() {
    return () -> {
      Map<String, String> headers = new HashMap<>(2);
      openTelemetry
          .getPropagators()
          .getTextMapPropagator()
          .inject(Context.current(), headers, Map::put);
      if (headers.isEmpty()) {
        // The SDK is off (its propagators are none): pass the run's context on as it came.
        W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
      }
      return headers;
    };
  }

  /** A call with a result. */
  interface Call<T, E extends Exception> {
    T call() throws E;
  }

  /**
   * Runs {@code call} in a span of the current context (the run's, while the runtime works on one);
   * a failure marks the span as an error.
   */
  <T, E extends Exception> T inSpan(String name, Attributes attributes, Call<T, E> call) throws E {
    Span span =
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.INTERNAL)
            .setAllAttributes(attributes)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return call.call();
    } catch (Exception e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      span.recordException(e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Exports what is buffered (at most 5 s) and stops the SDK. */
  @Override
  public void close() {
    if (ownSdk != null) {
      CompletableResultCode done = ownSdk.shutdown();
      done.join(5, TimeUnit.SECONDS);
    }
  }

  /** Reads a stored {@code traceparent} as the propagator's only header. */
  private static final TextMapGetter<String> TRACEPARENT_ONLY =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };
}
