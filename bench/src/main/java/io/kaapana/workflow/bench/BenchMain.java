package io.kaapana.workflow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -jar bench/target/workflow-bench.jar [--size full|smoke] [--service-jvm "…"]}, from
 * the repository root after {@code mvn -B install -DskipTests}: seeds (or reuses) a database,
 * measures the service and the floors in the same run, and prints every result with its ratio to
 * its floor. See docs/performance.md.
 */
public final class BenchMain {

  /** Connections of every load step, for the service and pgbench alike. */
  static final int CONCURRENCY = 16;

  /**
   * The latency steps again at this many connections: at 16 on two cores, p50 is about 16 /
   * throughput, so a latency target there is a throughput target.
   */
  static final int LOW_CONCURRENCY = 4;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Size size = Size.FULL;
    List<String> serviceJvm = ServiceProcess.DOCUMENTED_JVM_OPTIONS;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--size") && i + 1 < args.length) {
        size = Size.named(args[++i]);
      } else if (args[i].equals("--service-jvm") && i + 1 < args.length) {
        String options = args[++i].trim();
        serviceJvm = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
      } else {
        System.err.println(
            "usage: java -jar bench/target/workflow-bench.jar [--size full|smoke]"
                + " [--service-jvm \"<JVM options of the service>\"]");
        System.exit(2);
      }
    }
    Path home =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "KAAPANA_BENCH_HOME",
                    Path.of(
                            System.getProperty("user.home"),
                            ".cache",
                            "kaapana-workflow-api",
                            "bench")
                        .toString()));
    Results results = run(size, Path.of("").toAbsolutePath(), home, serviceJvm);
    System.out.println();
    System.out.println(results.markdown());
  }

  /**
   * One benchmark run from the repository {@code root} (built), with the database kept under {@code
   * home} (a seed of the same size there is reused).
   */
  static Results run(Size size, Path root, Path home, List<String> serviceJvm) throws Exception {
    LoadTools.requireInstalled();
    Path work = Files.createDirectories(root.resolve("bench/target/bench-" + size.name()));
    Results results = new Results(size, machine());
    System.out.printf("benchmark %s: database in %s, results in %s%n", size.name(), home, work);

    try (Database database = Database.start(home.resolve("postgres-" + size.name()))) {
      ServiceProcess service =
          ServiceProcess.start(root, database, work.resolve("service.log"), serviceJvm);
      UUID workflow;
      try (Connection db = database.connect()) {
        if (Seeder.seeded(db, size.runs())) {
          workflow = Seeder.seedWorkflow(db, size.runs());
          int removed = Seeder.removeEarlierLoad(db);
          System.out.printf(
              "reusing the seed of %,d runs (%,d runs of earlier benchmark runs removed)%n",
              size.runs(), removed);
        } else {
          workflow = createWorkflow(new Api(service.url()), "bench-three-tasks", "bench");
          System.out.printf("seeding %,d runs …%n", size.runs());
          double seconds = Seeder.seed(db, workflow, "bench-three-tasks", size.runs());
          results.note("seeded %,d runs in %.0f s".formatted(size.runs(), seconds));
        }
        results.note(databaseSize(db));
        results.note(
            "PostgreSQL 14 with fsync and synchronous_commit on; service JVM options: "
                + (serviceJvm.isEmpty() ? "none (JVM defaults)" : String.join(" ", serviceJvm)));
      }

      // Start-up: the service started again against the seeded database.
      List<Double> startups = new ArrayList<>();
      for (int i = 0; i < size.startups(); i++) {
        service.close();
        service = ServiceProcess.start(root, database, work.resolve("service.log"), serviceJvm);
        startups.add(service.startupSeconds);
      }
      Collections.sort(startups);
      results.single(
          "start-up to ready (s)",
          startups.get(startups.size() / 2),
          "median of " + startups.size());
      Thread.sleep(2_000);
      results.single("RSS at idle (MiB)", service.rssMiB(), "after start-up");

      HttpSteps steps = new HttpSteps(size, service, database, workflow, work);
      steps.floors(results);
      AtomicLong peakKiB = new AtomicLong();
      Path gcLog = ServiceProcess.gcLog(work.resolve("service.log"));
      int gcLinesBefore = Files.readAllLines(gcLog).size();
      service.sampled(peakKiB, () -> steps.load(results));
      List<Double> pauses = ServiceProcess.pausesMillis(gcLog, gcLinesBefore);
      results.single(
          "longest GC pause under load (ms)",
          pauses.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          "%d pauses in the load steps; service-gc.log".formatted(pauses.size()));
      results.single("RSS under load (MiB)", peakKiB.get() / 1024.0, "peak, sampled every 100 ms");
      Thread.sleep(3_000);
      results.single("RSS after load (MiB)", service.rssMiB(), "3 s after the last step");
      steps.soak(results);
      steps.claims(results, root);
      AuthenticationCost.measure(
          results, size, root, database, work, serviceJvm, service, workflow);
    }
    Files.writeString(work.resolve("results.md"), results.markdown(), StandardCharsets.UTF_8);
    return results;
  }

  static UUID createWorkflow(Api api, String title, String engine) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", title);
    body.put("workflow_engine", engine);
    body.put("definition", "tasks: [fetch, convert, report]");
    body.put("labels", Map.of("kaapana.experiment", "bench"));
    return UUID.fromString(api.post("/v1/workflows", body).path("id").asText());
  }

  private static String databaseSize(Connection db) throws Exception {
    try (Statement statement = db.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM workflow_runs), (SELECT count(*) FROM task_runs),"
                    + " (SELECT count(*) FROM events),"
                    + " pg_size_pretty(pg_database_size(current_database()))")) {
      rows.next();
      return "database: %,d runs, %,d task runs, %,d events, %s"
          .formatted(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getString(4));
    }
  }

  private static String machine() {
    return "%d cores, %s, Java %s, taken %s"
        .formatted(
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            System.getProperty("java.version"),
            Instant.now());
  }
}
