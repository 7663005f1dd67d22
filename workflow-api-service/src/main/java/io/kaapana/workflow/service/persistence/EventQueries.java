package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads the event history in sequence order. */
@ApplicationScoped
public class EventQueries {
  public record StoredEvent(
      long seq,
      String type,
      String objectType,
      String objectId,
      UUID workflowRunId,
      String from,
      String to,
      Map<String, Object> data,
      String actor,
      Instant createdAt) {}

  public record Filter(
      String objectType, String type, UUID workflowRunId, LabelSelector selector) {}

  private final Jdbc jdbc;

  public EventQueries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Events with {@code seq > after}, oldest first, at most {@code limit}. */
  public List<StoredEvent> after(long after, Filter filter, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.seq, e.type, e.object_type, e.object_id, e.workflow_run_id, e.from_state,"
                + " e.to_state, e.data, e.actor, e.created_at FROM events e");
    List<Object> params = new ArrayList<>();
    if (filter.selector() != null && !filter.selector().isEmpty()) {
      sql.append(" JOIN workflow_runs r ON r.id = e.workflow_run_id");
    }
    sql.append(" WHERE e.seq > ?");
    params.add(after);
    if (filter.objectType() != null) {
      sql.append(" AND e.object_type = ?");
      params.add(filter.objectType());
    }
    if (filter.type() != null) {
      sql.append(" AND e.type = ?");
      params.add(filter.type());
    }
    if (filter.workflowRunId() != null) {
      sql.append(" AND e.workflow_run_id = ?");
      params.add(filter.workflowRunId());
    }
    if (filter.selector() != null) {
      SelectorSql.append(filter.selector(), "r.labels", sql, params);
    }
    sql.append(" ORDER BY e.seq LIMIT ?");
    params.add(limit);
    return jdbc.query(
        sql.toString(),
        params,
        rs ->
            new StoredEvent(
                rs.getLong("seq"),
                rs.getString("type"),
                rs.getString("object_type"),
                rs.getString("object_id"),
                Jdbc.uuid(rs, "workflow_run_id"),
                rs.getString("from_state"),
                rs.getString("to_state"),
                jdbc.fromJson(rs.getString("data"), Jdbc.OBJECT_MAP),
                rs.getString("actor"),
                Jdbc.instant(rs, "created_at")));
  }
}
