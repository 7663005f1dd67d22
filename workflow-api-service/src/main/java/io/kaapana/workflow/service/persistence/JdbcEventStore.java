package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.port.out.EventStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

@ApplicationScoped
public class JdbcEventStore implements EventStore {
  /**
   * Held from the first event insert until commit. Without it a transaction could take seq 11,
   * commit before the one holding seq 10, and a stream reader at 11 would never see 10.
   */
  public static final String SEQUENCE_LOCK = "SELECT pg_advisory_xact_lock(7413061)";

  private final Jdbc jdbc;
  private final Clock clock;

  public JdbcEventStore(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public void append(List<DomainEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbc.query(SEQUENCE_LOCK, List.of(), rs -> null);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    jdbc.batch(
        "INSERT INTO events (seq, type, object_type, object_id, workflow_run_id, from_state,"
            + " to_state, data, actor, created_at)"
            + " VALUES (nextval('event_seq'), ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)",
        events.stream()
            .map(
                e ->
                    Arrays.<Object>asList(
                        e.type(),
                        objectType(e.objectType()),
                        e.objectId(),
                        e.workflowRunId(),
                        e.from(),
                        e.to(),
                        new Jdbc.Json(e.data()),
                        e.actor(),
                        now))
            .toList());
  }

  public static String objectType(DomainEvent.ObjectType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
