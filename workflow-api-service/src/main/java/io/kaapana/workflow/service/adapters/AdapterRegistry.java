package io.kaapana.workflow.service.adapters;

import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.AdapterDirectory;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.service.ops.OperationsLog;
import io.kaapana.workflow.service.persistence.Jdbc;
import io.kaapana.workflow.service.persistence.StoredJson;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Registration, heartbeats and loss of adapters, and the release of the runs they held. */
@ApplicationScoped
public class AdapterRegistry implements AdapterDirectory {
  private static final String COLUMNS =
      "id, workflow_engine, label_selector, capabilities, endpoint_url, version, lease_seconds,"
          + " registered_at, last_seen_at, status";

  private static final int MAX_IDS_LOGGED = 20;

  private final Jdbc jdbc;
  private final EventStore events;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final OperationsLog operations;

  public AdapterRegistry(
      Jdbc jdbc, EventStore events, Clock clock, MeterRegistry metrics, OperationsLog operations) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
    this.operations = operations;
  }

  /** Registers or refreshes an adapter (a heartbeat); must run in a transaction. */
  public AdapterRecord register(AdapterRecord wanted) {
    Instant now = now();
    Optional<AdapterRecord> before = find(wanted.id());
    jdbc.update(
        "INSERT INTO adapters ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, 'ACTIVE')"
            + " ON CONFLICT (id) DO UPDATE SET workflow_engine = EXCLUDED.workflow_engine,"
            + " label_selector = EXCLUDED.label_selector, capabilities = EXCLUDED.capabilities,"
            + " endpoint_url = EXCLUDED.endpoint_url, version = EXCLUDED.version,"
            + " lease_seconds = EXCLUDED.lease_seconds, last_seen_at = EXCLUDED.last_seen_at,"
            + " status = 'ACTIVE'",
        Arrays.asList(
            wanted.id(),
            wanted.workflowEngine(),
            wanted.labelSelector(),
            new Jdbc.Json(wanted.capabilities()),
            wanted.endpointUrl(),
            wanted.version(),
            wanted.leaseSeconds(),
            now,
            now));
    if (before.isEmpty() || !before.get().isActive()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("workflow_engine", wanted.workflowEngine());
      data.put("label_selector", wanted.labelSelector());
      events.append(
          List.of(
              new DomainEvent(
                  DomainEvent.ADAPTER_REGISTERED,
                  DomainEvent.ObjectType.ADAPTER,
                  wanted.id(),
                  null,
                  before.map(AdapterRecord::status).orElse(null),
                  "ACTIVE",
                  data,
                  wanted.id())));
      operations.info(
          before.isEmpty() ? "adapter.registered" : "adapter.back",
          OperationsLog.fields(
              "adapter_id",
              wanted.id(),
              "workflow_engine",
              wanted.workflowEngine(),
              "label_selector",
              wanted.labelSelector(),
              "lease_seconds",
              wanted.leaseSeconds()));
    }
    return find(wanted.id()).orElseThrow();
  }

  /** Refreshes last_seen_at of a registered adapter; empty when it is unknown. */
  public Optional<AdapterRecord> touch(String id) {
    return jdbc
        .query(
            "UPDATE adapters SET last_seen_at = ?, status = 'ACTIVE' WHERE id = ? RETURNING "
                + COLUMNS,
            Arrays.asList(now(), id),
            this::record)
        .stream()
        .findFirst();
  }

  public Optional<AdapterRecord> find(String id) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM adapters WHERE id = ?", List.of(id), this::record)
        .stream()
        .findFirst();
  }

  public List<AdapterRecord> list() {
    return jdbc.query("SELECT " + COLUMNS + " FROM adapters ORDER BY id", List.of(), this::record);
  }

  public List<AdapterRecord> active() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM adapters WHERE status = 'ACTIVE' ORDER BY id",
        List.of(),
        this::record);
  }

  /** Removes an adapter at its clean shutdown and frees its runs at once. */
  public boolean deregister(String id) {
    Optional<AdapterRecord> found = find(id);
    if (found.isEmpty()) {
      return false;
    }
    int released = release(id, "deregistered");
    jdbc.update("DELETE FROM adapters WHERE id = ?", List.of(id));
    events.append(
        List.of(
            new DomainEvent(
                DomainEvent.ADAPTER_DEREGISTERED,
                DomainEvent.ObjectType.ADAPTER,
                id,
                null,
                found.get().status(),
                null,
                Map.of(),
                id)));
    operations.info(
        "adapter.deregistered", OperationsLog.fields("adapter_id", id, "runs_released", released));
    return true;
  }

  /** Marks adapters whose heartbeats stopped as LOST and frees their runs. */
  public int sweepLost() {
    Instant now = now();
    List<Object[]> lost =
        jdbc.query(
            "UPDATE adapters SET status = 'LOST' WHERE status = 'ACTIVE'"
                + " AND last_seen_at + lease_seconds * interval '1 second' < ?"
                + " RETURNING id, last_seen_at, lease_seconds",
            List.of(now),
            rs ->
                new Object[] {
                  rs.getString(1), Jdbc.instant(rs, "last_seen_at"), rs.getInt("lease_seconds")
                });
    for (Object[] row : lost) {
      String id = (String) row[0];
      events.append(
          List.of(
              new DomainEvent(
                  DomainEvent.ADAPTER_LOST,
                  DomainEvent.ObjectType.ADAPTER,
                  id,
                  null,
                  "ACTIVE",
                  "LOST",
                  Map.of(),
                  "service")));
      int released = release(id, "adapter-lost");
      operations.warn(
          "adapter.lost",
          OperationsLog.fields(
              "adapter_id",
              id,
              "last_seen_at",
              row[1],
              "lease_seconds",
              row[2],
              "runs_released",
              released));
    }
    return lost.size();
  }

  /**
   * Frees the runs an adapter held that still need one (active, or with a requested action);
   * settled runs keep their holder so their logs can still be found.
   */
  private int release(String adapterId, String reason) {
    return release(adapterId, reason, null);
  }

  /**
   * Frees the runs {@code adapterId} holds, or only those of {@code onlyRuns} when given; returns
   * how many.
   */
  int release(String adapterId, String reason, UUID[] onlyRuns) {
    Instant now = now();
    List<String> released =
        jdbc.query(
            "WITH released AS (UPDATE workflow_runs SET adapter_id = NULL, lease_token = NULL,"
                + " awaiting_claim = true, updated_at = ?, version = version + 1"
                + " WHERE adapter_id = ? AND (?::uuid[] IS NULL OR id = ANY (?::uuid[]))"
                + " AND (lifecycle_status IN ('CREATED', 'PENDING', 'SCHEDULED', 'RUNNING')"
                + " OR requested_action IS NOT NULL) RETURNING id)"
                + " INSERT INTO pending_events (type, object_type, object_id, workflow_run_id,"
                + " from_state, to_state, data, actor, created_at)"
                + " SELECT ?, 'workflow_run', id::text, id, ?, NULL,"
                + " jsonb_build_object('reason', ?::text), 'service', ? FROM released"
                + " RETURNING object_id",
            Arrays.asList(
                now,
                adapterId,
                onlyRuns,
                onlyRuns,
                DomainEvent.RUN_RELEASED,
                adapterId,
                reason,
                now),
            rs -> rs.getString(1));
    if (!released.isEmpty()) {
      metrics.counter("kaapana_runs_released_total", "reason", reason).increment(released.size());
      operations.info(
          "runs.released",
          OperationsLog.fields(
              "adapter_id",
              adapterId,
              "reason",
              reason,
              "count",
              released.size(),
              "run_ids",
              listed(released)));
    }
    return released.size();
  }

  @Override
  public Set<Capability> capabilitiesServing(WorkflowRun run) {
    if (run.adapterId() != null) {
      Optional<AdapterRecord> holder = find(run.adapterId());
      if (holder.isPresent() && holder.get().isActive()) {
        return holder.get().capabilities();
      }
    }
    Set<Capability> union = EnumSet.noneOf(Capability.class);
    for (AdapterRecord a : active()) {
      if (a.serves(run.workflowEngine(), run.labels())) {
        union.addAll(a.capabilities());
      }
    }
    return union;
  }

  @Override
  public boolean servesEngine(String engine) {
    return !jdbc.query(
            "SELECT 1 FROM adapters WHERE status = 'ACTIVE' AND workflow_engine = ? LIMIT 1",
            List.of(engine),
            rs -> 1)
        .isEmpty();
  }

  /** Notes on waiting runs that no active adapter serves their engine. */
  public int markUnservedRuns() {
    return jdbc.update(
        "UPDATE workflow_runs r SET status_message = ? || r.workflow_engine || ?, version = version + 1"
            + " WHERE r.awaiting_claim AND r.adapter_id IS NULL AND r.lifecycle_status = 'CREATED'"
            + " AND r.status_message IS NULL AND NOT EXISTS (SELECT 1 FROM adapters a"
            + " WHERE a.status = 'ACTIVE' AND a.workflow_engine = r.workflow_engine)",
        List.of(WorkflowRun.NO_ADAPTER_PREFIX, WorkflowRun.NO_ADAPTER_SUFFIX));
  }

  /** The first ids, comma-separated: a line stays readable when an adapter held thousands. */
  private static String listed(List<String> ids) {
    int shown = Math.min(ids.size(), MAX_IDS_LOGGED);
    String list = String.join(",", ids.subList(0, shown));
    return ids.size() > shown ? list + ",…(+" + (ids.size() - shown) + ")" : list;
  }

  private AdapterRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new AdapterRecord(
        rs.getString("id"),
        rs.getString("workflow_engine"),
        rs.getString("label_selector"),
        StoredJson.capabilities(rs.getString("capabilities")),
        rs.getString("endpoint_url"),
        rs.getString("version"),
        rs.getInt("lease_seconds"),
        Jdbc.instant(rs, "registered_at"),
        Jdbc.instant(rs, "last_seen_at"),
        rs.getString("status"));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
