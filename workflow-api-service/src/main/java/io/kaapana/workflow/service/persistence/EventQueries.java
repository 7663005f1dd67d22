package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.ProjectScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  /**
   * @param selector on the labels of an event's run; events without a run do not match a non-empty
   *     one
   * @param projects events of runs outside these projects are left out (events without a run stay)
   */
  public record Filter(
      String objectType,
      String type,
      UUID workflowRunId,
      LabelSelector selector,
      ProjectScope projects) {
    public Filter {
      projects = projects == null ? ProjectScope.all() : projects;
    }

    /** Whether an event of a run with these labels (null: none) passes the project scope. */
    public boolean inScope(UUID workflowRunId, Map<String, String> runLabels) {
      return projects.isAll()
          || workflowRunId == null
          || (runLabels != null && projects.includes(runLabels.get(Labels.PROJECT)));
    }
  }

  /** An event with the labels of its run (null when it has none), for filtering in memory. */
  public record FeedEvent(StoredEvent event, Map<String, String> runLabels) {}

  private static final String COLUMNS =
      "e.seq, e.type, e.object_type, e.object_id, e.workflow_run_id, e.from_state,"
          + " e.to_state, e.data, e.actor, e.created_at";

  private final Jdbc jdbc;

  public EventQueries(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Events with {@code seq > after}, oldest first, at most {@code limit}. */
  public List<StoredEvent> after(long after, Filter filter, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM events e");
    List<Object> params = new ArrayList<>();
    if (filter.selector() != null && !filter.selector().isEmpty()) {
      sql.append(" JOIN workflow_runs r ON r.id = e.workflow_run_id");
    } else if (!filter.projects().isAll()) {
      sql.append(" LEFT JOIN workflow_runs r ON r.id = e.workflow_run_id");
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
    if (!filter.projects().isAll()) {
      sql.append(" AND (e.workflow_run_id IS NULL OR (r.id IS NOT NULL");
      SelectorSql.append(filter.projects().selector(), "r.labels", sql, params);
      sql.append("))");
    }
    sql.append(" ORDER BY e.seq LIMIT ?");
    params.add(limit);
    return jdbc.query(sql.toString(), params, this::event);
  }

  /** Every event with {@code seq > after}, oldest first, with its run's labels. */
  public List<FeedEvent> feed(long after, int limit) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + ", r.labels AS run_labels FROM events e"
            + " LEFT JOIN workflow_runs r ON r.id = e.workflow_run_id"
            + " WHERE e.seq > ? ORDER BY e.seq LIMIT ?",
        List.of(after, limit),
        rs -> new FeedEvent(event(rs), jdbc.fromJson(rs.getString("run_labels"), Jdbc.STRING_MAP)));
  }

  /** The highest sequence number given so far (0 when there are no events). */
  public long latestSeq() {
    return jdbc.query("SELECT coalesce(max(seq), 0) FROM events", List.of(), rs -> rs.getLong(1))
        .get(0);
  }

  private StoredEvent event(ResultSet rs) throws SQLException {
    return new StoredEvent(
        rs.getLong("seq"),
        rs.getString("type"),
        rs.getString("object_type"),
        rs.getString("object_id"),
        Jdbc.uuid(rs, "workflow_run_id"),
        rs.getString("from_state"),
        rs.getString("to_state"),
        jdbc.fromJson(rs.getString("data"), Jdbc.OBJECT_MAP),
        rs.getString("actor"),
        Jdbc.instant(rs, "created_at"));
  }
}
