package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.port.out.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

@ApplicationScoped
public class JdbcAuditLog implements AuditLog {
  private final Jdbc jdbc;
  private final Clock clock;

  public JdbcAuditLog(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void record(
      String actor,
      String action,
      String objectType,
      String objectId,
      Object before,
      Object after,
      String reason) {
    jdbc.update(
        "INSERT INTO audit_log (actor, action, object_type, object_id, before, after, reason,"
            + " created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)",
        Arrays.asList(
            actor,
            action,
            objectType,
            objectId,
            new Jdbc.Json(before),
            new Jdbc.Json(after),
            reason,
            clock.instant().truncatedTo(ChronoUnit.MILLIS)));
  }
}
