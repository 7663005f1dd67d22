package io.kaapana.workflow.service.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Gives committed events their place in the global order (ADR 0021). Writers insert events into
 * {@code pending_events} in their own transaction; this moves them to {@code events} with the next
 * sequence numbers, in id order, in transactions that hold the sequence lock one at a time. A
 * reader that saw seq N has therefore seen every event numbered below N, while writers commit in
 * parallel.
 */
@ApplicationScoped
public class EventSequencer {
  private static final Logger LOG = Logger.getLogger(EventSequencer.class);

  /** Held by one numbering transaction at a time, from reading the sequence to its commit. */
  static final String SEQUENCE_LOCK = "SELECT pg_advisory_xact_lock(7413061)";

  /** Rows moved per transaction, so that a large backlog does not become one huge transaction. */
  static final int BATCH = 10_000;

  /**
   * One statement under the lock: reads where the sequence stands, moves the oldest pending events
   * with consecutive numbers from there, and advances the sequence past them. Only lock holders
   * touch the sequence, so it cannot move in between; a rollback after setval leaves a gap, which
   * readers never mind.
   */
  private static final String MOVE =
      "WITH next AS (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS seq"
          + " FROM event_seq),"
          + " batch AS (DELETE FROM pending_events WHERE id IN"
          + " (SELECT id FROM pending_events ORDER BY id LIMIT ?) RETURNING *),"
          + " moved AS (INSERT INTO events (seq, type, object_type, object_id, workflow_run_id,"
          + " from_state, to_state, data, actor, created_at)"
          + " SELECT next.seq + row_number() OVER (ORDER BY b.id) - 1, b.type, b.object_type,"
          + " b.object_id, b.workflow_run_id, b.from_state, b.to_state, b.data, b.actor,"
          + " b.created_at FROM batch b, next RETURNING seq)"
          + " SELECT count(*), CASE WHEN count(*) > 0 THEN setval('event_seq', max(seq)) END"
          + " FROM moved";

  private final Jdbc jdbc;

  // Callers in this process share numbering rounds: each caller takes a ticket after its commit;
  // one caller at a time runs a round, which covers every ticket taken before it began. Without
  // this every writer queued on the database lock for a round of its own.
  private final Object rounds = new Object();
  private long ticketsTaken;
  private long ticketsNumbered;
  private long ticketsFailed;
  private RuntimeException lastFailure;
  private boolean roundRunning;

  public EventSequencer(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Numbers every event committed before this call. When it returns, the events of a transaction
   * that committed before it are readable in {@code events}, whoever numbered them.
   *
   * @return how many events the round this caller ran numbered (0 when another caller's round
   *     covered it)
   */
  public int sequenceCommitted() {
    long ticket;
    long covers;
    synchronized (rounds) {
      ticket = ++ticketsTaken;
      while (true) {
        if (ticketsNumbered >= ticket) {
          return 0;
        }
        if (ticketsFailed >= ticket) {
          throw lastFailure;
        }
        if (!roundRunning) {
          break;
        }
        try {
          rounds.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while events were numbered", e);
        }
      }
      roundRunning = true;
      covers = ticketsTaken;
    }
    try {
      int moved = numberPending();
      synchronized (rounds) {
        ticketsNumbered = Math.max(ticketsNumbered, covers);
      }
      return moved;
    } catch (RuntimeException e) {
      synchronized (rounds) {
        ticketsFailed = Math.max(ticketsFailed, covers);
        lastFailure = e;
      }
      throw e;
    } finally {
      synchronized (rounds) {
        roundRunning = false;
        rounds.notifyAll();
      }
    }
  }

  private int numberPending() {
    int moved = 0;
    int batch;
    do {
      batch = QuarkusTransaction.requiringNew().call(this::moveBatch);
      moved += batch;
    } while (batch == BATCH);
    return moved;
  }

  /**
   * For callers whose own write has committed: a failure here must not turn an acknowledged write
   * into an error. The events stay in {@code pending_events} until the next call or the maintenance
   * sweep numbers them.
   */
  public void sequenceCommittedQuietly() {
    try {
      sequenceCommitted();
    } catch (RuntimeException e) {
      if (DatabaseFaults.isUnavailable(e)) {
        DatabaseFaults.warn("numbering committed events (the maintenance sweep retries)", e);
      } else {
        LOG.warnf(e, "Committed events are not numbered yet; the maintenance sweep retries");
      }
    }
  }

  private int moveBatch() {
    jdbc.query(SEQUENCE_LOCK, List.of(), rs -> null);
    return jdbc.query(MOVE, List.of(BATCH), rs -> rs.getInt(1)).get(0);
  }
}
