package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.AdapterStatus;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.AdapterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class JdbcAdapterRepository implements AdapterRepository {
  private static final String COLUMNS =
      "id, workflow_engine, label_selector, capabilities, endpoint_url, version, lease_seconds,"
          + " registered_at, last_seen_at, status, registered_by";
  private static final String ACTIVE = "'" + AdapterStatus.ACTIVE.name() + "'";
  private static final String LOST = "'" + AdapterStatus.LOST.name() + "'";

  private final Jdbc jdbc;

  public JdbcAdapterRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Adapter> find(String id) {
    return first(
        jdbc.query(
            "SELECT " + COLUMNS + " FROM adapters WHERE id = ?", List.of(id), this::adapter));
  }

  @Override
  public List<Adapter> list() {
    return jdbc.query("SELECT " + COLUMNS + " FROM adapters ORDER BY id", List.of(), this::adapter);
  }

  @Override
  public List<Adapter> active() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM adapters WHERE status = " + ACTIVE + " ORDER BY id",
        List.of(),
        this::adapter);
  }

  @Override
  public Adapter save(AdapterRegistration r, Instant now) {
    return jdbc.query(
            "INSERT INTO adapters ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, "
                + ACTIVE
                + ", ?) ON CONFLICT (id) DO UPDATE SET workflow_engine = EXCLUDED.workflow_engine,"
                + " label_selector = EXCLUDED.label_selector, capabilities = EXCLUDED.capabilities,"
                + " endpoint_url = EXCLUDED.endpoint_url, version = EXCLUDED.version,"
                + " lease_seconds = EXCLUDED.lease_seconds, last_seen_at = EXCLUDED.last_seen_at,"
                + " registered_by = COALESCE(adapters.registered_by, EXCLUDED.registered_by),"
                + " status = "
                + ACTIVE
                + " RETURNING "
                + COLUMNS,
            Arrays.asList(
                r.id(),
                r.workflowEngine(),
                r.labelSelector(),
                new Jdbc.Json(r.capabilities()),
                r.endpointUrl(),
                r.version(),
                r.leaseSeconds(),
                now,
                now,
                r.registeredBy()),
            this::adapter)
        .get(0);
  }

  @Override
  public Optional<Adapter> touch(String id, Instant now) {
    return first(
        jdbc.query(
            "UPDATE adapters SET last_seen_at = ?, status = "
                + ACTIVE
                + " WHERE id = ? RETURNING "
                + COLUMNS,
            Arrays.asList(now, id),
            this::adapter));
  }

  @Override
  public boolean delete(String id) {
    return jdbc.update("DELETE FROM adapters WHERE id = ?", List.of(id)) > 0;
  }

  @Override
  public List<Adapter> markLost(Instant now) {
    return jdbc.query(
        "UPDATE adapters SET status = "
            + LOST
            + " WHERE status = "
            + ACTIVE
            + " AND last_seen_at + lease_seconds * interval '1 second' < ? RETURNING "
            + COLUMNS,
        List.of(now),
        this::adapter);
  }

  @Override
  public boolean anyActiveFor(String workflowEngine) {
    return !jdbc.query(
            "SELECT 1 FROM adapters WHERE status = " + ACTIVE + " AND workflow_engine = ? LIMIT 1",
            List.of(workflowEngine),
            rs -> 1)
        .isEmpty();
  }

  /**
   * Notes on waiting runs that no active adapter serves their engine (their status message says so
   * until one claims them); returns how many it noted. A display hint, not a state change.
   */
  public int noteRunsWithoutAdapter() {
    return jdbc.update(
        "UPDATE workflow_runs r SET status_message = ? || r.workflow_engine || ?, version = version + 1"
            + " WHERE r.awaiting_claim AND r.adapter_id IS NULL AND r.lifecycle_status = 'CREATED'"
            + " AND r.status_message IS NULL AND NOT EXISTS (SELECT 1 FROM adapters a"
            + " WHERE a.status = "
            + ACTIVE
            + " AND a.workflow_engine = r.workflow_engine)",
        List.of(WorkflowRun.NO_ADAPTER_PREFIX, WorkflowRun.NO_ADAPTER_SUFFIX));
  }

  private Adapter adapter(ResultSet rs) throws SQLException {
    return new Adapter(
        rs.getString("id"),
        rs.getString("workflow_engine"),
        rs.getString("label_selector"),
        StoredJson.capabilities(rs.getString("capabilities")),
        rs.getString("endpoint_url"),
        rs.getString("version"),
        rs.getInt("lease_seconds"),
        Jdbc.instant(rs, "registered_at"),
        Jdbc.instant(rs, "last_seen_at"),
        AdapterStatus.valueOf(rs.getString("status")),
        rs.getString("registered_by"));
  }

  private static Optional<Adapter> first(List<Adapter> adapters) {
    return adapters.stream().findFirst();
  }
}
