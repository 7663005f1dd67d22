package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogPolling;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.EngineFailures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives one Airflow 2.x or 3.x server through its REST API; DAG files go into the DAGs folder the
 * adapter shares with Airflow. See {@code docs/airflow-adapter.md} for the whole mapping.
 *
 * <p>What is here is runs: submit, observe (one and many), cancel and retry, which share the DAG
 * run lookups and the notes the adapter leaves on DAG runs. DAG files are {@link AirflowDags}',
 * logs {@link AirflowLogReader}'s, HTTP {@link AirflowHttp}'s, the API versions' differences {@link
 * AirflowDialect}'s.
 */
final class AirflowAdapter implements WorkflowAdapter {

  /** On the DAG run of a canceled run: Airflow only knows "failed", this says why. */
  static final String CANCELED_NOTE = "Canceled through the Kaapana Workflow API";

  static final String RETRIED_NOTE = "Retried through the Kaapana Workflow API";

  /**
   * Task instances that ended this long before the cancel ended the run still count as ended by it
   * (Airflow stamps them in the same request, a few milliseconds apart).
   */
  private static final Duration CANCEL_WINDOW = Duration.ofSeconds(2);

  /** Reading "what changed since" overlaps the previous read by this much (clock skew). */
  private static final Duration SYNC_OVERLAP = Duration.ofMinutes(2);

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.CANCEL,
          Capability.RETRY_RUN,
          Capability.RETRY_TASK,
          Capability.LOGS,
          Capability.LOG_FOLLOW,
          Capability.VALIDATE);

  private final AirflowSettings settings;
  private final AirflowHttp http;
  private final AirflowDialect dialect;
  private final Clock clock;

  /** Per DAG: when it was last listed, so the next batch sync asks only for what changed. */
  private final Map<String, Instant> listedAt = new ConcurrentHashMap<>();

  /** The last DAG run seen per Kaapana run, for runs an incremental list leaves out. */
  private final Map<String, JsonNode> lastSeenRuns = new ConcurrentHashMap<>();

  private final AirflowDags dags;
  private final AirflowLogReader logReader;

  AirflowAdapter(AirflowSettings settings, AirflowHttp http, AirflowDialect dialect, Clock clock) {
    this.settings = settings;
    this.http = http;
    this.dialect = dialect;
    this.clock = clock;
    this.dags = new AirflowDags(settings, http, dialect, clock);
    this.logReader = new AirflowLogReader(http, dialect);
  }

  AirflowDialect dialect() {
    return dialect;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // --- definitions ---------------------------------------------------------------------------

  @Override
  public Deployment deploy(RevisionSpec revision) throws AdapterException {
    return dags.deploy(revision);
  }

  /** An archived workflow's DAGs are paused: Airflow starts no run of them any more. */
  @Override
  public void retire(String workflowId, List<String> engineRefs) throws AdapterException {
    dags.retire(engineRefs);
  }

  /** Pauses the DAG of a revision or unpauses it. */
  void setPaused(String dagId, boolean paused) throws AdapterException {
    dags.setPaused(dagId, paused);
  }

  // --- runs ----------------------------------------------------------------------------------

  @Override
  public String submit(RunSpec run) throws AdapterException {
    String dagId = dagIdOf(run.ref(), run.revision());
    String dagRunId = AirflowIds.dagRunId(run.runId());
    ObjectNode conf = AirflowHttp.JSON.valueToTree(run.parameters());
    ObjectNode kaapana = conf.putObject("kaapana");
    kaapana.put("run_id", run.runId());
    ObjectNode labels = kaapana.putObject("labels");
    run.labels().forEach(labels::put);
    String path = dialect.path("/dags", dagId) + "/dagRuns";
    for (int attempt = 1; ; attempt++) {
      EngineClient.Answer answer =
          http.postAnswer(path, dialect.triggerBody(dagRunId, conf, "Kaapana run " + run.runId()));
      if (answer.ok()) {
        lastSeenRuns.put(run.runId(), answer.body());
        return AirflowIds.runExternalId(dagId, dagRunId);
      }
      if (answer.status() == 409) {
        // The run id exists (an earlier submit: adopt it), or on Airflow 2 the logical date.
        if (findRun(dagId, dagRunId) != null) {
          return AirflowIds.runExternalId(dagId, dagRunId);
        }
        if (attempt < 3) {
          sleep(Duration.ofMillis(50));
          continue;
        }
      }
      String detail = AirflowHttp.detail(answer);
      if (answer.status() == 400 || answer.status() == 404 || answer.status() == 422) {
        throw new AdapterException(
            ErrorCode.REJECTED, "Airflow refused to start DAG " + dagId + detail);
      }
      if (answer.status() == 401 || answer.status() == 403) {
        throw new AdapterException(
            ErrorCode.ENGINE_ERROR,
            "Airflow refused the adapter's credentials (" + answer.status() + ")" + detail);
      }
      throw new AdapterException(
          answer.status() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.ENGINE_ERROR,
          "triggering DAG " + dagId + " answered " + answer.status() + detail);
    }
  }

  @Override
  public RunObservation observe(RunRef ref) throws AdapterException {
    String dagId = dagIdOf(ref, null);
    String dagRunId = AirflowIds.dagRunId(ref.runId());
    JsonNode dagRun = findRun(dagId, dagRunId);
    if (dagRun == null) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND, "Airflow has no run " + dagRunId + " of DAG " + dagId);
    }
    lastSeenRuns.put(ref.runId(), dagRun);
    return observation(ref, dagRun, taskInstancesOfRun(dagId, dagRunId));
  }

  @Override
  public List<RunObservation> observeAll(Collection<RunRef> runs) throws AdapterException {
    // Forget runs no longer held (settled and dropped by the runtime): the cache stays small.
    Set<String> held = new java.util.HashSet<>();
    runs.forEach(ref -> held.add(ref.runId()));
    lastSeenRuns.keySet().retainAll(held);
    Map<String, List<RunRef>> byDag = new LinkedHashMap<>();
    for (RunRef ref : runs) {
      if (ref.engineRef() != null) {
        byDag.computeIfAbsent(ref.engineRef(), d -> new ArrayList<>()).add(ref);
      }
    }
    Map<String, JsonNode> dagRuns = new HashMap<>();
    for (Map.Entry<String, List<RunRef>> dag : byDag.entrySet()) {
      Instant startedListing = clock.instant();
      Map<String, JsonNode> changed = listRuns(dag.getKey(), listedAt.get(dag.getKey()));
      listedAt.put(dag.getKey(), startedListing.minus(SYNC_OVERLAP));
      for (RunRef ref : dag.getValue()) {
        JsonNode dagRun = changed.get(AirflowIds.dagRunId(ref.runId()));
        if (dagRun != null) {
          lastSeenRuns.put(ref.runId(), dagRun);
        } else {
          dagRun = lastSeenRuns.get(ref.runId());
        }
        if (dagRun != null) {
          dagRuns.put(ref.runId(), dagRun);
        }
      }
    }
    // Runs never seen by this instance (or not in Airflow) are left to observe().
    List<RunRef> known = runs.stream().filter(r -> dagRuns.containsKey(r.runId())).toList();
    if (known.isEmpty()) {
      return List.of();
    }
    Map<String, List<JsonNode>> instancesByRun = new HashMap<>();
    Set<String> dagIds = new LinkedHashSet<>();
    Set<String> dagRunIds = new LinkedHashSet<>();
    known.forEach(
        r -> {
          dagIds.add(r.engineRef());
          dagRunIds.add(AirflowIds.dagRunId(r.runId()));
        });
    for (JsonNode instance : dialect.taskInstancesOf(http, dagIds, dagRunIds)) {
      instancesByRun
          .computeIfAbsent(
              instance.path("dag_id").asText() + "/" + instance.path("dag_run_id").asText(),
              k -> new ArrayList<>())
          .add(instance);
    }
    List<RunObservation> observations = new ArrayList<>();
    for (RunRef ref : known) {
      String key = ref.engineRef() + "/" + AirflowIds.dagRunId(ref.runId());
      observations.add(
          observation(ref, dagRuns.get(ref.runId()), instancesByRun.getOrDefault(key, List.of())));
    }
    return observations;
  }

  /** The DAG's runs changed since {@code since} (all runs when null), by dag_run_id. */
  private Map<String, JsonNode> listRuns(String dagId, Instant since) throws AdapterException {
    Map<String, JsonNode> runs = new HashMap<>();
    Map<String, String> filters =
        since == null ? Map.of() : Map.of("updated_at_gte", since.toString());
    try {
      http.forEachInPages(
          dialect.path("/dags", dagId) + "/dagRuns",
          filters,
          "dag_runs",
          run -> runs.put(run.path("dag_run_id").asText(), run));
    } catch (AdapterException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      // the DAG is gone: its runs are observed one by one and reported lost
    }
    return runs;
  }

  private JsonNode findRun(String dagId, String dagRunId) throws AdapterException {
    return http.find(dialect.runPath(dagId, dagRunId));
  }

  private List<JsonNode> taskInstancesOfRun(String dagId, String dagRunId) throws AdapterException {
    List<JsonNode> instances = new ArrayList<>();
    http.forEachInPages(
        dialect.runPath(dagId, dagRunId) + "/taskInstances",
        Map.of(),
        "task_instances",
        instances::add);
    return instances;
  }

  private RunObservation observation(RunRef ref, JsonNode dagRun, List<JsonNode> instances)
      throws AdapterException {
    String dagId = dagRun.path("dag_id").asText(ref.engineRef());
    Set<String> mapped = dags.mappedTasks(dagId);
    Instant canceledAt = canceledAt(dagRun);
    EngineRunState state = AirflowStates.runState(text(dagRun, "state"), canceledAt);
    List<TaskObservation> tasks = new ArrayList<>();
    String failed = null;
    for (JsonNode instance : instances) {
      if (instance.path("map_index").asInt(-1) < 0
          && mapped.contains(instance.path("task_id").asText())
          && !AirflowStates.tryFinished(text(instance, "state"))) {
        // The placeholder of a mapped task before Airflow expands it into map indexes 0..n.
        continue;
      }
      TaskObservation task = taskObservation(ref, instance, canceledAt);
      tasks.add(task);
      if (failed == null && task.state() == EngineTaskState.ERROR) {
        failed = task.taskTitle();
      }
    }
    String message =
        switch (state) {
          case ERROR ->
              failed == null ? "the DAG run failed in Airflow" : "task '" + failed + "' failed";
          case CANCELED -> "canceled";
          default -> null;
        };
    return new RunObservation(
        ref.runId(),
        AirflowIds.runExternalId(dagId, dagRun.path("dag_run_id").asText()),
        state,
        ref.attempt(),
        message,
        time(dagRun, "start_date"),
        state.isSettled() ? time(dagRun, "end_date") : null,
        tasks);
  }

  private TaskObservation taskObservation(RunRef ref, JsonNode instance, Instant canceledAt) {
    String taskId = instance.path("task_id").asText();
    int mapIndex = instance.path("map_index").asInt(-1);
    String state = text(instance, "state");
    EngineTaskState mapped = AirflowStates.taskState(state, time(instance, "end_date"), canceledAt);
    int tryNumber = instance.path("try_number").asInt(0);
    // A cleared instance keeps its last try number until the scheduler starts the next try.
    int attempt =
        (state == null || "none".equals(state)) && tryNumber > 0 ? tryNumber + 1 : tryNumber;
    // Airflow stamps a start on instances it never ran (upstream failed, skipped): only a try that
    // was scheduled (try_number > 0) has really started.
    boolean started =
        tryNumber > 0 && mapped != EngineTaskState.PENDING && mapped != EngineTaskState.SCHEDULED;
    return new TaskObservation(
        AirflowIds.taskTitle(taskId, mapIndex),
        mapped,
        Math.max(1, attempt),
        ref.engineRef()
            + "/"
            + AirflowIds.dagRunId(ref.runId())
            + "/"
            + taskId
            + (mapIndex < 0 ? "" : "/" + mapIndex),
        mapped == EngineTaskState.ERROR ? "failed in Airflow on try " + tryNumber : null,
        started ? time(instance, "start_date") : null,
        mapped.isSettled() ? time(instance, "end_date") : null);
  }

  /** When the adapter's cancel ended the run: its end, if the note says so. */
  private static Instant canceledAt(JsonNode dagRun) {
    String note = text(dagRun, "note");
    if (note == null
        || !note.startsWith(CANCELED_NOTE)
        || !"failed".equals(text(dagRun, "state"))) {
      return null;
    }
    Instant end = time(dagRun, "end_date");
    return (end == null ? Instant.EPOCH : end).minus(CANCEL_WINDOW);
  }

  // --- actions -------------------------------------------------------------------------------

  @Override
  public void cancel(RunRef ref, boolean force) throws AdapterException {
    String dagId = dagIdOf(ref, null);
    String dagRunId = AirflowIds.dagRunId(ref.runId());
    JsonNode dagRun = findRun(dagId, dagRunId);
    if (dagRun == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Airflow has no run " + dagRunId);
    }
    String state = text(dagRun, "state");
    if ("success".equals(state) || "failed".equals(state)) {
      return; // settled: nothing to stop
    }
    // The note first: whoever observes the failed run must already read it as canceled.
    dialect.setRunNote(http, dagId, dagRunId, CANCELED_NOTE);
    dialect.failRun(http, dagId, dagRunId);
    // Failing the run does not reliably stop its tasks (apache/airflow#40600, #45925): fail
    // every unfinished task instance too, then check, a few times if the scheduler races us.
    for (int round = 1; ; round++) {
      List<JsonNode> unfinished =
          taskInstancesOfRun(dagId, dagRunId).stream()
              .filter(ti -> AirflowStates.unfinished(text(ti, "state")))
              .toList();
      JsonNode now = findRun(dagId, dagRunId);
      boolean runFailed = now != null && "failed".equals(text(now, "state"));
      if (unfinished.isEmpty() && runFailed) {
        return;
      }
      if (round > 5) {
        throw new AdapterException(
            ErrorCode.ENGINE_ERROR,
            "Airflow kept "
                + unfinished.size()
                + " task instance(s) of "
                + dagRunId
                + " unfinished after the cancel");
      }
      Set<String> done = new LinkedHashSet<>();
      for (JsonNode instance : unfinished) {
        String taskId = instance.path("task_id").asText();
        int mapIndex = instance.path("map_index").asInt(-1);
        String key = dialect == AirflowDialect.AIRFLOW_2 ? taskId : taskId + "/" + mapIndex;
        if (done.add(key)) {
          dialect.failTaskInstance(http, dagId, dagRunId, taskId, mapIndex);
        }
      }
      if (!runFailed) {
        dialect.failRun(http, dagId, dagRunId);
      }
      sleep(Duration.ofMillis(300L * round));
    }
  }

  @Override
  public int retry(RunSpec run, RetryScope scope) throws AdapterException {
    String dagId = dagIdOf(run.ref(), run.revision());
    String dagRunId = AirflowIds.dagRunId(run.runId());
    JsonNode dagRun = findRun(dagId, dagRunId);
    if (dagRun == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Airflow has no run " + dagRunId);
    }
    int attempt = run.ref().attempt() + 1;
    List<String> rerun = new ArrayList<>();
    if (scope == RetryScope.FAILED) {
      Instant canceledAt = canceledAt(dagRun);
      Set<String> taskIds = new LinkedHashSet<>();
      for (JsonNode instance : taskInstancesOfRun(dagId, dagRunId)) {
        EngineTaskState state =
            AirflowStates.taskState(
                text(instance, "state"), time(instance, "end_date"), canceledAt);
        if (state != EngineTaskState.COMPLETED && state != EngineTaskState.SKIPPED) {
          taskIds.add(instance.path("task_id").asText());
        }
      }
      rerun.addAll(taskIds);
    }
    // The note first: it replaces the cancel's, so the new attempt is not read as canceled.
    dialect.setRunNote(http, dagId, dagRunId, RETRIED_NOTE + " (attempt " + attempt + ")");
    if (rerun.isEmpty()) {
      http.post(dialect.runPath(dagId, dagRunId) + "/clear", Map.of(), dialect.clearRunBody());
    } else {
      clearTasks(dagId, dagRunId, rerun);
    }
    lastSeenRuns.remove(run.runId());
    return attempt;
  }

  @Override
  public int retryTask(RunSpec run, String taskTitle) throws AdapterException {
    String dagId = dagIdOf(run.ref(), run.revision());
    String dagRunId = AirflowIds.dagRunId(run.runId());
    if (findRun(dagId, dagRunId) == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Airflow has no run " + dagRunId);
    }
    int attempt = run.ref().attempt() + 1;
    dialect.setRunNote(http, dagId, dagRunId, RETRIED_NOTE + " (attempt " + attempt + ")");
    clearTasks(dagId, dagRunId, List.of(AirflowIds.taskKey(taskTitle).taskId()));
    lastSeenRuns.remove(run.runId());
    return attempt;
  }

  /** Clears the tasks and their downstream and sets the run back to queued. */
  private void clearTasks(String dagId, String dagRunId, List<String> taskIds)
      throws AdapterException {
    ObjectNode body = AirflowHttp.object();
    body.put("dag_run_id", dagRunId);
    taskIds.forEach(body.putArray("task_ids")::add);
    body.put("include_downstream", true);
    body.put("include_upstream", false);
    body.put("include_future", false);
    body.put("include_past", false);
    body.put("only_failed", false);
    body.put("reset_dag_runs", true);
    body.put("dry_run", false);
    http.post(dialect.path("/dags", dagId) + "/clearTaskInstances", Map.of(), body);
  }

  // --- logs ----------------------------------------------------------------------------------

  @Override
  public LogPage readLogs(LogQuery query) throws AdapterException {
    return logReader.read(query);
  }

  @Override
  public LogPage followLogs(LogQuery query, Duration maxWait) throws AdapterException {
    // Airflow has no push for logs: ask again shortly, from where the last read ended.
    return LogPolling.follow(this::readLogs, query, maxWait, Duration.ofMillis(500));
  }

  @Override
  public void close() {
    // nothing to release: the HTTP client's connections close when idle
  }

  // --- helpers -------------------------------------------------------------------------------

  static String dagIdOf(RunRef ref, RevisionSpec revision) throws AdapterException {
    if (ref.engineRef() != null) {
      return ref.engineRef();
    }
    if (revision != null) {
      return AirflowIds.dagId(revision.workflowId(), revision.increment());
    }
    if (ref.externalId() != null && ref.externalId().contains("/")) {
      return ref.externalId().substring(0, ref.externalId().indexOf('/')); // <dag_id>/<run_id>
    }
    // Never deployed by an adapter: Airflow cannot know the run.
    throw new AdapterException(
        ErrorCode.NOT_FOUND, "the run " + ref.runId() + " has no DAG id (engine reference)");
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  static Instant time(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : AirflowLogs.parseTime(value, null);
  }

  static void sleep(Duration duration) throws AdapterException {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted("Airflow", e);
    }
  }
}
