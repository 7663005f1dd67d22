package io.kaapana.workflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measured steps: floors first, then the service's endpoints, then claims end to end.
 *
 * <p>Why one class of this size (about 530 lines): it is the benchmark's script, one method per
 * step in the order the report reads, and every step is judged against the floors measured first
 * (fields here); apart, each part would need those floors handed to it.
 */
final class HttpSteps {

  private final Size size;
  private final ServiceProcess service;
  private final Database database;
  private final UUID workflow;
  private final Path work;
  private final Api api;
  private LoadTools.Load insertFloor;
  private LoadTools.Load selectFloor;
  private LoadTools.Load httpFloor;
  private LoadTools.Load selectFloorLow;
  private LoadTools.Load httpFloorLow;

  HttpSteps(Size size, ServiceProcess service, Database database, UUID workflow, Path work) {
    this.size = size;
    this.service = service;
    this.database = database;
    this.workflow = workflow;
    this.work = work;
    this.api = new Api(service.url());
  }

  /**
   * PostgreSQL's own limit for the equivalent single-row insert (into a copy of the runs table with
   * the same columns and indexes) and for the indexed point select, and the HTTP stack's limit on a
   * trivial endpoint of the same Quarkus process.
   */
  void floors(Results results) throws Exception {
    try (Connection db = database.connect();
        Statement statement = db.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS bench_floor_runs (LIKE workflow_runs INCLUDING DEFAULTS"
              + " INCLUDING CONSTRAINTS INCLUDING INDEXES)");
      statement.execute("TRUNCATE bench_floor_runs");
    }
    Path insert =
        write(
            "floor-insert.sql",
            """
            INSERT INTO bench_floor_runs (id, workflow_id, revision_increment, workflow_title,
              workflow_engine, labels, parameters, lifecycle_status, attempt, awaiting_claim,
              created_at, updated_at, task_run_counts, version)
            VALUES (gen_random_uuid(), '%s', 1, 'bench-three-tasks', 'bench',
              '{"kaapana.experiment": "exp-bench", "kaapana.io/workflow-title": "bench-three-tasks",
                "kaapana.io/workflow-engine": "bench", "kaapana.io/revision": "1"}',
              '{"series": "1.2.840.1"}', 'CREATED', 1, true, now(), now(), '{}', 1);
            """
                .formatted(workflow));
    Path select =
        write(
            "floor-select.sql",
            """
            \\set n random(1, %d)
            SELECT * FROM workflow_runs WHERE id = md5('run' || :n)::uuid;
            """
                .formatted(size.runs()));
    pgbench(select, size.warmupSeconds());
    selectFloor = pgbench(select, size.seconds());
    results.load("floor: pgbench indexed point select", selectFloor, null, null, null, null);
    insertFloor = pgbench(insert, size.seconds());
    results.load("floor: pgbench single-row insert", insertFloor, null, null, null, null);
    wrk("/q/health/started", null, size.warmupSeconds());
    httpFloor = wrk("/q/health/started", null, size.seconds());
    results.load(
        "floor: wrk GET /q/health/started (same process)", httpFloor, null, null, null, null);
    selectFloorLow = pgbench(select, size.seconds(), BenchMain.LOW_CONCURRENCY);
    results.load(
        "floor: pgbench indexed point select, 4 clients", selectFloorLow, null, null, null, null);
    httpFloorLow = wrk("/q/health/started", null, size.seconds(), BenchMain.LOW_CONCURRENCY);
    results.load(
        "floor: wrk GET /q/health/started, 4 connections", httpFloorLow, null, null, null, null);
  }

  /** The service's endpoints at the same concurrency. */
  Void load(Results results) throws Exception {
    Path create =
        write(
            "create.lua",
            """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.body = '{"workflow": {"id": "%s"}, "parameters": {"series": "1.2.840.9"},'
              .. ' "labels": {"kaapana.experiment": "exp-created", "site": "s-1"}}'
            """
                .formatted(workflow));
    wrk("/v1/workflow-runs", create, size.warmupSeconds());
    LoadTools.Load created = wrk("/v1/workflow-runs", create, size.seconds());
    results.load(
        "POST /v1/workflow-runs (run creation)",
        created,
        "pgbench insert",
        insertFloor,
        "≥ 50% of the insert floor",
        created.perSecond() >= 0.5 * insertFloor.perSecond());

    Path get =
        write(
            "get.lua",
            """
            math.randomseed(os.time())
            request = function()
              local n = math.random(1, %d)
              return wrk.format("GET", "/v1/workflow-runs/" .. ids[n])
            end
            ids = {}
            for line in io.lines("%s") do ids[#ids + 1] = line end
            """
                .formatted(Math.min(size.runs(), 10_000), idsFile()));
    wrk("/", get, size.warmupSeconds());
    int all = BenchMain.CONCURRENCY;
    int low = BenchMain.LOW_CONCURRENCY;
    p99Step(
        results,
        "GET /v1/workflow-runs/{id}",
        "/",
        get,
        all,
        "pgbench point select",
        selectFloor,
        5);

    String list =
        "/v1/workflow-runs?label_selector=kaapana.experiment%3Dexp-42&lifecycle_status=RUNNING"
            + "&limit=50";
    wrk(list, null, size.warmupSeconds());
    p99Step(
        results,
        "GET runs by selector + status (exp-42: 0.1% of runs, RUNNING)",
        list,
        null,
        all,
        "wrk trivial endpoint",
        httpFloor,
        50);

    String wideSelector =
        "/v1/workflow-runs?label_selector=kaapana.project%3Dp-7&lifecycle_status=RUNNING&limit=50";
    p99Step(
        results,
        "GET runs by selector + status (p-7: 2% of runs, RUNNING)",
        wideSelector,
        null,
        all,
        "wrk trivial endpoint",
        httpFloor,
        50);

    p99Step(
        results,
        "GET /v1/workflow-runs/{id}, 4 connections",
        "/",
        get,
        low,
        "pgbench point select, 4 clients",
        selectFloorLow,
        5);
    p99Step(
        results,
        "GET runs by selector + status (exp-42), 4 connections",
        list,
        null,
        low,
        "wrk trivial endpoint, 4 connections",
        httpFloorLow,
        50);
    p99Step(
        results,
        "GET runs by selector + status (p-7), 4 connections",
        wideSelector,
        null,
        low,
        "wrk trivial endpoint, 4 connections",
        httpFloorLow,
        50);

    String tasks = "/v1/workflow-runs/" + Seeder.HUNDRED_TASKS_RUN + "/task-runs?limit=100";
    wrk(tasks, null, size.warmupSeconds());
    LoadTools.Load taskRuns = wrk(tasks, null, size.seconds());
    results.load(
        "GET task runs of a 100-task run", taskRuns, "wrk trivial endpoint", httpFloor, null, null);

    LoadTools.Load reports = reports();
    results.load(
        "POST …/status (adapter reports, each a new task run)",
        reports,
        "pgbench insert",
        insertFloor,
        null,
        null);

    bulkCancel(results);
    return null;
  }

  /**
   * Status reports of an adapter that holds runs: each report brings a task run the run did not
   * have, so every report writes (a report that changes nothing writes nothing and is cheaper).
   */
  private LoadTools.Load reports() throws Exception {
    UUID reportsWorkflow =
        BenchMain.createWorkflow(api, "bench-reports-" + System.nanoTime(), "bench-reports");
    // No adapter validates this engine's revisions: the benchmark marks it valid itself.
    try (Connection db = database.connect();
        Statement statement = db.createStatement()) {
      statement.execute(
          "UPDATE workflow_revisions SET validation_status = 'VALID', validated_at = now()"
              + " WHERE workflow_id = '"
              + reportsWorkflow
              + "'");
    }
    String adapter = "bench-reporter-" + System.nanoTime();
    Map<String, Object> registration = new LinkedHashMap<>();
    registration.put("workflow_engine", "bench-reports");
    registration.put("label_selector", "");
    registration.put("capabilities", List.of());
    registration.put("lease_seconds", 600);
    api.put("/v1/adapters/" + adapter, registration);
    int held = 64;
    for (int i = 0; i < held; i++) {
      api.post("/v1/workflow-runs", Map.of("workflow", Map.of("id", reportsWorkflow.toString())));
    }
    List<String> leases = new ArrayList<>();
    while (leases.size() < held) {
      JsonNode claim =
          api.post("/v1/adapters/" + adapter + "/claims", Map.of("limit", 100, "wait_seconds", 5));
      for (JsonNode run : claim.path("runs")) {
        leases.add(run.path("id").asText() + " " + run.path("lease_token").asText());
      }
    }
    Path leaseFile = work.resolve("leases.txt");
    Files.write(leaseFile, leases, StandardCharsets.UTF_8);
    Path script =
        write(
            "report.lua",
            """
            local threads = 0
            function setup(thread)
              threads = threads + 1
              thread:set("tid", threads)
            end
            function init(args)
              runs = {}
              for line in io.lines("%s") do
                local id, lease = line:match("(%%S+) (%%S+)")
                runs[#runs + 1] = {id = id, lease = lease}
              end
              counter = 0
            end
            request = function()
              counter = counter + 1
              local run = runs[(counter %% #runs) + 1]
              local body = '{"lease_token": "' .. run.lease .. '", "lifecycle_status": "RUNNING",'
                .. ' "attempt": 1, "task_runs": [{"task_title": "t' .. tid .. '-' .. counter
                .. '", "lifecycle_status": "RUNNING", "attempt": 1}]}'
              return wrk.format("POST", "/v1/workflow-runs/" .. run.id .. "/status",
                {["Content-Type"] = "application/json"}, body)
            end
            """
                .formatted(leaseFile));
    return wrk("/", script, size.seconds());
  }

  /** One bulk CANCEL of runs that no adapter holds (the service cancels them itself). */
  private void bulkCancel(Results results) throws Exception {
    String batch = "cancel-" + System.nanoTime();
    try (Connection db = database.connect();
        Statement statement = db.createStatement()) {
      statement.execute(
          """
          INSERT INTO workflow_runs (id, workflow_id, revision_increment, workflow_title,
            workflow_engine, labels, parameters, lifecycle_status, attempt, awaiting_claim,
            created_at, updated_at, task_run_counts, version)
          SELECT gen_random_uuid(), '%s', 1, 'bench-three-tasks', 'bench',
            jsonb_build_object('bench.batch', '%s', 'kaapana.experiment', 'exp-cancel'),
            '{}', 'CREATED', 1, true, now(), now(), '{}', 1
          FROM generate_series(1, %d)
          """
              .formatted(workflow, batch, size.cancelRuns()));
      statement.execute("ANALYZE workflow_runs");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "CANCEL");
    body.put("label_selector", "bench.batch=" + batch);
    body.put("reason", "benchmark");
    long started = System.nanoTime();
    JsonNode answer = api.post("/v1/bulk/workflow-run-events", body);
    double seconds = (System.nanoTime() - started) / 1e9;
    long matched = answer.path("matched").asLong();
    results.single(
        "bulk CANCEL of %,d runs (s)".formatted(matched),
        seconds,
        "one request; %,.0f runs/s".formatted(matched / seconds));
  }

  /**
   * Creation → claim → first RUNNING report with the local engine's adapter as a sidecar: runs
   * created one after the other (each waits for the one before to run), times from the run's events
   * (the service's clock).
   */
  void claims(Results results, Path root) throws Exception {
    Path runtimeJar = root.resolve("adapter-runtime/target/adapter-runtime-0.1.0-SNAPSHOT.jar");
    Path data = Files.createDirectories(work.resolve("local-adapter"));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                runtimeJar.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("local-adapter.log").toFile());
    String selector = "bench.claims=" + System.nanoTime();
    builder.environment().put("KAAPANA_ADAPTER_API_URL", service.url());
    builder.environment().put("KAAPANA_ADAPTER_KIND", "local");
    builder.environment().put("KAAPANA_ADAPTER_ID", "bench-local");
    builder.environment().put("KAAPANA_ADAPTER_LABEL_SELECTOR", selector);
    builder
        .environment()
        .put("KAAPANA_ADAPTER_PLUGINS", root.resolve("adapter-local/target").toString());
    builder.environment().put("KAAPANA_ADAPTER_DATA_DIR", data.toString());
    builder.environment().put("KAAPANA_LOCAL_ALLOW_COMMANDS", "true");
    Process runtime = builder.start();
    try {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("title", "bench-claims-" + System.nanoTime());
      definition.put("workflow_engine", "local");
      definition.put("definition", "tasks:\n  - name: work\n    command: [sleep, '0.2']\n");
      String[] label = selector.split("=");
      definition.put("labels", Map.of(label[0], label[1]));
      String id = api.post("/v1/workflows", definition).path("id").asText();
      awaitValid(id);
      List<Double> toClaim = new ArrayList<>();
      List<Double> toRunning = new ArrayList<>();
      for (int i = 0; i < size.claimRuns(); i++) {
        String run =
            api.post("/v1/workflow-runs", Map.of("workflow", Map.of("id", id))).path("id").asText();
        Instant created = null;
        Instant claimed = null;
        Instant running = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running == null && System.nanoTime() < deadline) {
          for (JsonNode event : api.get("/v1/workflow-runs/" + run + "/events").path("items")) {
            Instant at = Instant.parse(event.path("created_at").asText());
            switch (event.path("type").asText()) {
              case "workflow_run.created" -> created = at;
              case "workflow_run.claimed" -> claimed = claimed == null ? at : claimed;
              case "workflow_run.status_changed" -> {
                if (running == null && "RUNNING".equals(event.path("to").asText())) {
                  running = at;
                }
              }
              default -> {}
            }
          }
          if (running == null) {
            Thread.sleep(10);
          }
        }
        if (created == null || claimed == null || running == null) {
          throw new IllegalStateException("run " + run + " was not claimed and running in 30 s");
        }
        toClaim.add(Duration.between(created, claimed).toNanos() / 1e6);
        toRunning.add(Duration.between(created, running).toNanos() / 1e6);
      }
      Collections.sort(toClaim);
      Collections.sort(toRunning);
      double claimP50 = LoadTools.percentile(toClaim, 50);
      results.single(
          "creation → claim, p50 (ms)",
          claimP50,
          toClaim.size()
              + " runs, local adapter sidecar; target p50 < 50 ms "
              + (claimP50 < 50 ? "✓" : "✗"));
      results.single("creation → claim, p99 (ms)", LoadTools.percentile(toClaim, 99), "");
      results.single(
          "creation → first RUNNING, p50 (ms)",
          LoadTools.percentile(toRunning, 50),
          "reported by the adapter");
      results.single("creation → first RUNNING, p99 (ms)", LoadTools.percentile(toRunning, 99), "");
    } finally {
      runtime.destroy();
      runtime.waitFor();
    }
  }

  private void awaitValid(String workflowId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String status =
          api.get("/v1/workflows/" + workflowId).path("validation").path("status").asText();
      if (status.equals("VALID")) {
        return;
      }
      if (status.equals("INVALID")) {
        throw new IllegalStateException("the claims workflow is invalid");
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "the local adapter did not validate the claims workflow in 60 s");
  }

  private Path idsFile() throws Exception {
    Path file = work.resolve("ids.txt");
    List<String> ids = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < Math.min(size.runs(), 10_000); i++) {
      ids.add(Seeder.md5Uuid("run" + (1 + random.nextInt(size.runs()))));
    }
    Files.write(file, ids, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * The soak: the read load of get by id (16 connections) with run creation beside it (2
   * connections, so that events flow), first alone, then with {@code size.subscribers()} live event
   * streams open that receive every event. Reports the p99 of the reads and the peak resident
   * memory of both, side by side.
   */
  void soak(Results results) throws Exception {
    Path get = work.resolve("get.lua");
    Path create = work.resolve("create.lua");
    AtomicLong alonePeak = new AtomicLong();
    LoadTools.Load[] alone = service.sampled(alonePeak, () -> mixed(get, create));
    results.load("soak: get by id beside creation, no streams", alone[0], null, null, null, null);
    results.single(
        "soak: RSS peak, no streams (MiB)",
        alonePeak.get() / 1024.0,
        "sampled every 100 ms; creation %,.0f/s beside".formatted(alone[1].perSecond()));
    int count = size.subscribers();
    try (EventSubscribers subscribers = EventSubscribers.open(service.url(), count)) {
      AtomicLong withPeak = new AtomicLong();
      long eventsBefore = subscribers.events();
      LoadTools.Load[] with = service.sampled(withPeak, () -> mixed(get, create));
      long delivered = subscribers.events() - eventsBefore;
      results.load(
          "soak: get by id beside creation, %,d streams".formatted(count),
          with[0],
          "the same without streams",
          alone[0],
          null,
          null);
      results.single(
          "soak: RSS peak, %,d streams (MiB)".formatted(count),
          withPeak.get() / 1024.0,
          "sampled every 100 ms; creation %,.0f/s beside; %,d events delivered, %,.0f per stream"
              .formatted(with[1].perSecond(), delivered, (double) delivered / count));
    }
  }

  /** Reads at full concurrency with creation at 2 connections beside them, for the same time. */
  private LoadTools.Load[] mixed(Path get, Path create) throws Exception {
    ExecutorService beside = Executors.newSingleThreadExecutor();
    try {
      Future<LoadTools.Load> creation =
          beside.submit(() -> wrk("/v1/workflow-runs", create, size.seconds(), 2));
      LoadTools.Load reads = wrk("/", get, size.seconds());
      return new LoadTools.Load[] {reads, creation.get()};
    } finally {
      beside.shutdown();
    }
  }

  /** A measured wrk step whose target is its p99 under {@code targetMillis}. */
  private void p99Step(
      Results results,
      String name,
      String path,
      Path script,
      int connections,
      String floorName,
      LoadTools.Load floor,
      int targetMillis)
      throws Exception {
    LoadTools.Load load = wrk(path, script, size.seconds(), connections);
    results.load(
        name,
        load,
        floorName,
        floor,
        "p99 < " + targetMillis + " ms",
        load.p99Millis() < targetMillis);
  }

  private LoadTools.Load wrk(String path, Path script, int seconds) throws Exception {
    return wrk(path, script, seconds, BenchMain.CONCURRENCY);
  }

  private LoadTools.Load wrk(String path, Path script, int seconds, int connections)
      throws Exception {
    return LoadTools.wrk(service.url() + path, script, connections, seconds, work);
  }

  private LoadTools.Load pgbench(Path script, int seconds) throws Exception {
    return pgbench(script, seconds, BenchMain.CONCURRENCY);
  }

  private LoadTools.Load pgbench(Path script, int seconds, int clients) throws Exception {
    return LoadTools.pgbench(database, script, clients, seconds, work);
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
  }
}
