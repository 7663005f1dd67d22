package io.kaapana.workflow.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Seeds the database server-side ({@code INSERT … SELECT generate_series}, 100,000 runs a
 * statement): runs with realistic label sets and states, three task runs and three events per run,
 * and one run of 100 tasks. Run ids are {@code md5('run' || n)}, so the load steps and pgbench can
 * name any of them without reading them first. A seed of the same size is reused.
 */
final class Seeder {

  static final String HUNDRED_TASKS_RUN = md5Uuid("run-with-100-tasks");

  /** Changes when the seed's shape changes: an older seed is dropped and seeded again. */
  static final int VERSION = 2;

  private static final int CHUNK = 100_000;

  private Seeder() {}

  /**
   * True when the database already holds this version's seed of {@code runs} runs; any other seed
   * is dropped (runs, their task runs and events).
   */
  static boolean seeded(Connection db, int runs) throws SQLException {
    try (Statement statement = db.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS bench_seed (runs integer PRIMARY KEY, workflow_id uuid,"
              + " seeded_at timestamptz, seconds numeric)");
      statement.execute("ALTER TABLE bench_seed ADD COLUMN IF NOT EXISTS version integer");
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT count(*) FROM bench_seed WHERE runs = "
                  + runs
                  + " AND version = "
                  + VERSION)) {
        rows.next();
        if (rows.getInt(1) == 1) {
          return true;
        }
      }
      statement.execute("TRUNCATE workflow_runs, events CASCADE");
      statement.execute("DELETE FROM bench_seed");
      return false;
    }
  }

  /**
   * Removes what earlier benchmark runs added to a reused seed (created, canceled, reported and
   * claimed runs, with their task runs and events), so that every run measures the same database.
   */
  static int removeEarlierLoad(Connection db) throws SQLException {
    String added =
        "SELECT id FROM workflow_runs WHERE labels @> '{\"kaapana.experiment\": \"exp-created\"}'"
            + " OR labels ? 'bench.batch' OR workflow_engine <> 'bench'";
    try (Statement statement = db.createStatement()) {
      statement.execute("DELETE FROM events WHERE workflow_run_id IN (" + added + ")");
      int removed =
          statement.executeUpdate("DELETE FROM workflow_runs WHERE id IN (" + added + ")");
      statement.execute("VACUUM ANALYZE workflow_runs");
      return removed;
    }
  }

  /** The workflow the seed belongs to (created through the API before seeding). */
  static UUID seedWorkflow(Connection db, int runs) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement("SELECT workflow_id FROM bench_seed WHERE runs = ?")) {
      query.setInt(1, runs);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getObject(1, UUID.class) : null;
      }
    }
  }

  /** Seeds {@code runs} runs of the workflow; prints progress; returns the seconds it took. */
  static double seed(Connection db, UUID workflowId, String title, int runs) throws SQLException {
    long started = System.nanoTime();
    db.setAutoCommit(false);
    try (Statement statement = db.createStatement()) {
      statement.execute("SET LOCAL synchronous_commit = off");
      for (int from = 1; from <= runs; from += CHUNK) {
        int to = Math.min(runs, from + CHUNK - 1);
        statement.execute(runs(workflowId, title, runs, from, to));
        statement.execute(taskRuns(from, to));
        statement.execute(events(from, to));
        db.commit();
        System.out.printf("  seeded runs %,d-%,d (%.0f s)%n", from, to, seconds(started));
      }
      statement.execute(hundredTaskRun(workflowId, title));
      statement.execute(
          "INSERT INTO bench_seed (runs, workflow_id, seeded_at, seconds, version) VALUES ("
              + runs
              + ", '"
              + workflowId
              + "', now(), "
              + seconds(started)
              + ", "
              + VERSION
              + ")");
      db.commit();
    } finally {
      db.setAutoCommit(true);
    }
    try (Statement statement = db.createStatement()) {
      statement.execute("ANALYZE");
    }
    return seconds(started);
  }

  /**
   * Runs 1..n: one every 30 s of creation time, the newest now; labels of an experiment (1,000), a
   * project (50) and a site (7) besides the system labels; 1% RUNNING, 1% ERROR, 1% CANCELED, the
   * rest COMPLETED, drawn by a hash of n so that states and labels are independent.
   */
  private static String runs(UUID workflowId, String title, int total, int from, int to) {
    return """
        INSERT INTO workflow_runs (id, workflow_id, revision_increment, workflow_title,
          workflow_engine, labels, parameters, lifecycle_status, attempt, awaiting_claim,
          created_at, updated_at, started_at, finished_at, task_run_counts, version)
        SELECT md5('run' || n)::uuid, '%1$s', 1, '%2$s', 'bench',
          jsonb_build_object(
            'kaapana.experiment', 'exp-' || (n %% 1000),
            'kaapana.project', 'p-' || (n %% 50),
            'site', 's-' || (n %% 7),
            'kaapana.io/workflow-id', '%1$s',
            'kaapana.io/workflow-title', '%2$s',
            'kaapana.io/workflow-engine', 'bench',
            'kaapana.io/revision', '1'),
          jsonb_build_object('series', '1.2.840.' || n),
          s.state, 1, false, c.at, c.at + interval '2 min', c.at + interval '5 s',
          CASE WHEN s.state = 'RUNNING' THEN NULL ELSE c.at + interval '2 min' END,
          CASE WHEN s.state = 'RUNNING' THEN '{"COMPLETED": 1, "RUNNING": 1, "CREATED": 1}'
               ELSE '{"COMPLETED": 3}' END::jsonb,
          1
        FROM generate_series(%3$d, %4$d) n,
          LATERAL (SELECT now() - (%5$d - n) * interval '30 s' AS at) c,
          LATERAL (SELECT CASE abs(hashint4(n)) %% 100 WHEN 1 THEN 'RUNNING' WHEN 2 THEN 'ERROR'
                                        WHEN 3 THEN 'CANCELED' ELSE 'COMPLETED' END AS state) s
        """
        .formatted(workflowId, title, from, to, total);
  }

  private static String taskRuns(int from, int to) {
    return """
        INSERT INTO task_runs (id, workflow_run_id, task_title, lifecycle_status, attempt,
          external_id, started_at, finished_at, created_at, updated_at)
        SELECT md5('task' || n || '-' || t.k)::uuid, md5('run' || n)::uuid, t.title,
          CASE WHEN r.lifecycle_status = 'RUNNING' AND t.k = 2 THEN 'RUNNING'
               WHEN r.lifecycle_status = 'RUNNING' AND t.k = 3 THEN 'CREATED' ELSE 'COMPLETED' END,
          1, t.title || '-' || n, r.created_at + t.k * interval '10 s',
          CASE WHEN r.lifecycle_status = 'RUNNING' AND t.k > 1 THEN NULL
               ELSE r.created_at + t.k * interval '30 s' END,
          r.created_at, r.updated_at
        FROM generate_series(%1$d, %2$d) n
          JOIN workflow_runs r ON r.id = md5('run' || n)::uuid,
          (VALUES (1, 'fetch'), (2, 'convert'), (3, 'report')) t(k, title)
        """
        .formatted(from, to);
  }

  /** Created, claimed and the last state change of each run (the event log's shape). */
  private static String events(int from, int to) {
    return """
        INSERT INTO events (seq, type, object_type, object_id, workflow_run_id, from_state,
          to_state, data, actor, created_at)
        SELECT nextval('event_seq'), e.type, 'workflow_run', r.id::text, r.id, e.from_state,
          e.to_state, '{}'::jsonb, 'bench-seed', r.created_at + e.k * interval '1 s'
        FROM generate_series(%1$d, %2$d) n
          JOIN workflow_runs r ON r.id = md5('run' || n)::uuid,
          LATERAL (VALUES (0, 'workflow_run.created', NULL, 'CREATED'),
                          (1, 'workflow_run.claimed', NULL, NULL),
                          (2, 'workflow_run.status_changed', 'RUNNING', r.lifecycle_status))
            e(k, type, from_state, to_state)
        ORDER BY n, e.k
        """
        .formatted(from, to);
  }

  private static String hundredTaskRun(UUID workflowId, String title) {
    return """
        INSERT INTO workflow_runs (id, workflow_id, revision_increment, workflow_title,
          workflow_engine, labels, parameters, lifecycle_status, attempt, awaiting_claim,
          created_at, updated_at, task_run_counts, version)
        VALUES ('%1$s', '%2$s', 1, '%3$s', 'bench', '{"kaapana.experiment": "exp-wide"}',
          '{}', 'RUNNING', 1, false, now(), now(), '{"RUNNING": 100}', 1);
        INSERT INTO task_runs (id, workflow_run_id, task_title, lifecycle_status, attempt,
          created_at, updated_at, started_at)
        SELECT md5('wide-task' || k)::uuid, '%1$s', 'task-' || lpad(k::text, 3, '0'), 'RUNNING',
          1, now(), now(), now()
        FROM generate_series(1, 100) k;
        """
        .formatted(HUNDRED_TASKS_RUN, workflowId, title);
  }

  static String md5Uuid(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("MD5")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String hex = java.util.HexFormat.of().formatHex(digest);
      return hex.substring(0, 8)
          + "-"
          + hex.substring(8, 12)
          + "-"
          + hex.substring(12, 16)
          + "-"
          + hex.substring(16, 20)
          + "-"
          + hex.substring(20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
