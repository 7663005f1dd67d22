package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.AuditSnapshot;
import io.kaapana.workflow.core.port.out.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class JdbcAuditLog implements AuditLog {
  private final Jdbc jdbc;
  private final Clock clock;
  private final RequestCaller caller;

  public JdbcAuditLog(Jdbc jdbc, Clock clock, RequestCaller caller) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.caller = caller;
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
    Optional<RequestCaller.Identity> who = caller.current();
    jdbc.update(
        "INSERT INTO audit_log (actor, actor_subject, actor_client_id, action, object_type,"
            + " object_id, before, after, reason, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)",
        Arrays.asList(
            actor,
            who.map(RequestCaller.Identity::subject).orElse(null),
            who.map(RequestCaller.Identity::clientId).orElse(null),
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
    if (snapshot instanceof AuditSnapshot.AdapterEntry adapter) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workflow_engine", adapter.workflowEngine());
      m.put("label_selector", adapter.labelSelector());
      m.put("capabilities", adapter.capabilities());
      m.put("endpoint_url", adapter.endpointUrl());
      m.put("lease_seconds", adapter.leaseSeconds());
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
