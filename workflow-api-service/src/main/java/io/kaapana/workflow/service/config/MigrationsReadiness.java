package io.kaapana.workflow.service.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/** Ready only when every migration is applied (the datasource check comes with Agroal). */
@Readiness
@ApplicationScoped
public class MigrationsReadiness implements HealthCheck {
  @Inject Flyway flyway;

  @Override
  public HealthCheckResponse call() {
    try {
      int pending = flyway.info().pending().length;
      return HealthCheckResponse.named("database-migrations")
          .status(pending == 0)
          .withData("pending", pending)
          .build();
    } catch (RuntimeException e) {
      // the database is unreachable: the datasource check says so too
      return HealthCheckResponse.named("database-migrations").down().build();
    }
  }
}
