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

/**
 * Stages events in the writer's transaction; {@link EventSequencer} numbers them after the commit
 * (ADR 0021).
 */
@ApplicationScoped
public class JdbcEventStore implements EventStore {
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
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    jdbc.batch(
        "INSERT INTO pending_events (type, object_type, object_id, workflow_run_id, from_state,"
            + " to_state, data, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)",
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
                        new Jdbc.Json(StoredEventData.of(e.data())),
                        e.actor(),
                        now))
            .toList());
  }

  public static String objectType(DomainEvent.ObjectType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
