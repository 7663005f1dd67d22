package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.AuditSnapshot;
import io.kaapana.workflow.core.port.out.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

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
            new Jdbc.Json(stored(before)),
            new Jdbc.Json(stored(after)),
            reason,
            clock.instant().truncatedTo(ChronoUnit.MILLIS)));
  }

  /**
   * A core snapshot under the names {@code GET /v1/admin/audit} shows (the first release's); the
   * service's own records of a purge are maps already.
   */
  static Object stored(Object snapshot) {
    if (snapshot instanceof AuditSnapshot.Run run) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lifecycle_status", run.state().name());
      m.put("status_message", run.statusMessage());
      m.put("labels", run.labels());
      return m;
    }
    if (snapshot instanceof AuditSnapshot.Workflow workflow) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("title", workflow.title());
      m.put("increment", workflow.increment());
      m.put("labels", workflow.labels());
      return m;
    }
    return snapshot;
  }
}
