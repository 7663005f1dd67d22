package io.kaapana.workflow.quickstart;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The quick start's zero-config database: when no config source names a datasource URL (system
 * properties, the environment, {@code .env}, {@code config/application.properties}, the
 * application's own properties, or any other Quarkus config source), the embedded PostgreSQL is
 * started and its settings are added as the lowest source. Asked while Quarkus builds its runtime
 * configuration, so it sees every other source; acts only when the packaged quick start starts,
 * never in tests or at build time.
 */
public final class EmbeddedDatabaseConfig implements ConfigSourceFactory {
  /** Below every source a user can write to: the embedded database is only the last resort. */
  static final int ORDINAL = 50;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    // The build reads the configuration too and would record the embedded server's settings as
    // the packaged application's defaults: only the running application's runtime start counts.
    if (LaunchMode.current() != LaunchMode.NORMAL
        || ExecutionMode.current() != ExecutionMode.RUNTIME_INIT
        || configured(context)) {
      return List.of();
    }
    return List.of(
        new PropertiesConfigSource(
            EmbeddedDatabase.startForTheQuickStart(),
            "the quick start's embedded PostgreSQL",
            ORDINAL));
  }

  private static boolean configured(ConfigSourceContext context) {
    ConfigValue url = context.getValue(EmbeddedDatabase.URL_PROPERTY);
    return url != null && url.getValue() != null && !url.getValue().isBlank();
  }
}
