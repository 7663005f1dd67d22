package io.kaapana.workflow.service.adapters;

import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.service.persistence.EventSequencer;
import io.kaapana.workflow.service.persistence.Jdbc;
import io.kaapana.workflow.service.persistence.Rows;
import io.kaapana.workflow.service.persistence.SelectorSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands work to adapters: runs under a lease, and revisions to validate. Candidates are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent claims never return the same run.
 */
@ApplicationScoped
public class ClaimService {
  public record ClaimedRun(WorkflowRun run, UUID leaseToken, Instant leaseExpiresAt) {}

  public static final Claim EMPTY = new Claim(List.of(), List.of());

  public record Claim(List<ClaimedRun> runs, List<WorkflowRevision> revisions) {
    public boolean isEmpty() {
      return runs.isEmpty() && revisions.isEmpty();
    }
  }

  private final Jdbc jdbc;
  private final Rows rows;
  private final RunRepository runRepository;
  private final AdapterRegistry registry;
  private final EventStore events;
  private final EventSequencer sequencer;
  private final ChangeSignal signal;
  private final Clock clock;

  public ClaimService(
      Jdbc jdbc,
      Rows rows,
      RunRepository runRepository,
      AdapterRegistry registry,
      EventStore events,
      EventSequencer sequencer,
      ChangeSignal signal,
      Clock clock) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.runRepository = runRepository;
    this.registry = registry;
    this.events = events;
    this.sequencer = sequencer;
    this.signal = signal;
    this.clock = clock;
  }

  /**
   * One look for work, in its own transaction, with the events it wrote numbered before it returns.
   * Only the first look of a long-poll counts as a heartbeat: the service cannot see a caller that
   * died while it waited, and must not keep it alive.
   *
   * @return the work, or null when the adapter is no longer active (its next claim re-activates it)
   */
  public Claim look(String adapterId, int limit, boolean heartbeat) {
    Claim claim =
        QuarkusTransaction.requiringNew().call(() -> claimOnce(adapterId, limit, heartbeat));
    sequencer.sequenceCommittedQuietly(); // claims, heartbeats and releases write events
    if (claim != null && !claim.isEmpty()) {
      signal.signal(); // the claim wrote events that streams may wait for
    }
    return claim;
  }

  /** Gives back runs a claim took but could not hand over: its caller had gone. */
  public int giveBack(String adapterId, List<ClaimedRun> runs) {
    int released =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    registry.release(
                        adapterId,
                        "claim-undelivered",
                        runs.stream().map(c -> c.run().id()).toArray(UUID[]::new)));
    sequencer.sequenceCommittedQuietly();
    signal.signal();
    return released;
  }

  private Claim claimOnce(String adapterId, int limit, boolean heartbeat) {
    registry.sweepLost();
    Optional<AdapterRecord> current =
        heartbeat ? registry.touch(adapterId) : registry.find(adapterId);
    AdapterRecord adapter =
        current.orElseThrow(
            () ->
                WorkflowApiException.notFound(
                    "adapter " + adapterId + " (register it with PUT first)"));
    if (!adapter.isActive()) {
      return null;
    }
    LabelSelector selector = LabelSelector.parse(adapter.labelSelector());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);

    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + Rows.RUN_COLUMNS
                + " FROM workflow_runs r WHERE r.awaiting_claim"
                + " AND r.workflow_engine = ? AND (r.adapter_id IS NULL OR r.adapter_id = ?)");
    List<Object> params = new ArrayList<>(List.of(adapter.workflowEngine(), adapterId));
    SelectorSql.append(selector, "r.labels", sql, params);
    sql.append(" ORDER BY r.created_at LIMIT ? FOR UPDATE SKIP LOCKED");
    params.add(limit);
    List<WorkflowRun> candidates = jdbc.query(sql.toString(), params, rows::run);

    List<DomainEvent> changes = new ArrayList<>();
    List<ClaimedRun> claimed = new ArrayList<>();
    for (WorkflowRun run : candidates) {
      UUID token =
          adapterId.equals(run.adapterId()) && run.leaseToken() != null
              ? run.leaseToken()
              : UUID.randomUUID();
      run.claim(adapterId, token, now, changes);
      claimed.add(new ClaimedRun(run, token, adapter.leaseExpiresAt()));
    }
    if (!candidates.isEmpty()) {
      runRepository.updateAll(candidates);
      jdbc.update(
          "UPDATE workflow_runs SET status_message = NULL WHERE id = ANY (?) AND status_message = ?",
          Arrays.asList(
              candidates.stream().map(WorkflowRun::id).toArray(UUID[]::new),
              WorkflowRun.noAdapterMessage(adapter.workflowEngine())));
      events.append(changes);
    }

    StringBuilder revSql =
        new StringBuilder(
            "SELECT "
                + Rows.REVISION_COLUMNS
                + " FROM workflow_revisions rev JOIN workflows w ON w.id = rev.workflow_id"
                + " WHERE rev.validation_status = 'PENDING' AND w.workflow_engine = ? AND NOT w.archived"
                + " AND (rev.validation_claimed_until IS NULL OR rev.validation_claimed_until < ?)");
    List<Object> revParams = new ArrayList<>(List.of(adapter.workflowEngine(), now));
    SelectorSql.append(selector, "rev.labels", revSql, revParams);
    revSql.append(" ORDER BY rev.created_at LIMIT ? FOR UPDATE OF rev SKIP LOCKED");
    revParams.add(limit);
    List<WorkflowRevision> revisions = jdbc.query(revSql.toString(), revParams, rows::revision);
    for (WorkflowRevision rev : revisions) {
      jdbc.update(
          "UPDATE workflow_revisions SET validation_claimed_by = ?, validation_claimed_until = ?"
              + " WHERE workflow_id = ? AND increment = ?",
          Arrays.asList(
              adapterId,
              now.plusSeconds(adapter.leaseSeconds()),
              rev.workflowId(),
              rev.increment()));
    }
    return new Claim(claimed, revisions);
  }
}
