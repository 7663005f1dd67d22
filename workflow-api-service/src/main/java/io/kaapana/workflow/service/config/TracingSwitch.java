package io.kaapana.workflow.service.config;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is on exactly when an OTLP endpoint is configured: one setting, not two. Quarkus' own
 * switch ({@code quarkus.otel.sdk.disabled}) is off in {@code application.properties}; when a
 * source a user writes (the environment, a config file) names an endpoint, this adds {@code
 * quarkus.otel.sdk.disabled=false} above the application's properties and below the environment, so
 * an explicit {@code QUARKUS_OTEL_SDK_DISABLED} still wins. Acts only while the application starts,
 * never while it is built.
 */
public final class TracingSwitch implements ConfigSourceFactory {
  static final List<String> ENDPOINTS =
      List.of("quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint");

  /** Above application.properties (250), below the environment (300). */
  static final int ORDINAL = 275;

  /** Below this, a value is one of Quarkus' defaults, not something a user configured. */
  private static final int USER_SOURCES = 100;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (ExecutionMode.current() != ExecutionMode.RUNTIME_INIT || !endpointConfigured(context)) {
      return List.of();
    }
    return List.of(
        new PropertiesConfigSource(
            Map.of("quarkus.otel.sdk.disabled", "false"), "kaapana tracing switch", ORDINAL));
  }

  static boolean endpointConfigured(ConfigSourceContext context) {
    for (String name : ENDPOINTS) {
      ConfigValue value = context.getValue(name);
      if (value != null
          && value.getValue() != null
          && !value.getValue().isBlank()
          && value.getConfigSourceOrdinal() >= USER_SOURCES) {
        return true;
      }
    }
    return false;
  }
}
