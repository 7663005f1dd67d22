package io.kaapana.workflow.service.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service runs on the database it is given and on no other: without a datasource URL in any
 * config source it refuses to start and names what to set (ADR 0033). The embedded PostgreSQL
 * belongs to the quick start, so a production deployment that lost its settings fails loudly
 * instead of running on a throwaway database.
 */
@ApplicationScoped
class DatabaseSettingsCheck {
  static final String MISSING =
      "No database configured. Set QUARKUS_DATASOURCE_JDBC_URL"
          + " (jdbc:postgresql://<host>:5432/<database>), QUARKUS_DATASOURCE_USERNAME and"
          + " QUARKUS_DATASOURCE_PASSWORD in the environment, or quarkus.datasource.jdbc.url,"
          + " quarkus.datasource.username and quarkus.datasource.password in"
          + " config/application.properties. The service has no embedded database; the quick start"
          + " (workflow-quickstart) starts one when nothing is configured.";

  private final Optional<String> url;

  DatabaseSettingsCheck(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url) {
    this.url = url;
  }

  /** Before everything else that starts, so the message is this one and not a bean's failure. */
  void check(@Observes @Priority(0) StartupEvent start) {
    if (url.isEmpty() || url.get().isBlank()) {
      throw new IllegalStateException(MISSING);
    }
  }
}
