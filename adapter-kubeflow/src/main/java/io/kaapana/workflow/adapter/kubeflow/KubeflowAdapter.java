package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
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
import io.kaapana.workflow.adapter.support.EngineClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Kaapana workflows on Kubeflow Pipelines (v2beta1 REST API). A workflow is a KFP pipeline named
 * {@code kaapana-<workflow id>}, each revision a version of it named {@code kaapana-<workflow
 * id>-v<increment>}, uploaded from the compiled pipeline spec; the engine reference is {@code
 * <pipeline id>/<pipeline version id>}. A run is a KFP run named {@code kaapana-<run id>} in the
 * experiment its label (default {@code kaapana.experiment}) names.
 */
final class KubeflowAdapter implements WorkflowAdapter {

  private static final Logger LOG = Logger.getLogger(KubeflowAdapter.class.getName());
  private static final int CACHED = 512;

  private final KubeflowHttp http;
  private final KubeflowSettings settings;

  /** Task logs through argo-server; null when the adapter has no argo-server to read them. */
  private final KubeflowLogs logs;

  /** Experiment name → id; task titles of pipeline versions. Both bounded (least recent goes). */
  private final Map<String, String> experiments = lru();

  private final Map<String, List<String>> titlesByVersion = lru();

  KubeflowAdapter(KubeflowHttp http, KubeflowSettings settings, KubeflowLogs logs) {
    this.http = http;
    this.settings = settings;
    this.logs = logs;
  }

  @Override
  public Set<Capability> capabilities() {
    return logs == null
        ? Set.of(Capability.CANCEL, Capability.RETRY_RUN, Capability.VALIDATE)
        : Set.of(
            Capability.CANCEL,
            Capability.RETRY_RUN,
            Capability.VALIDATE,
            Capability.LOGS,
            Capability.LOG_FOLLOW);
  }

  // --- deploy ------------------------------------------------------------------------------------

  @Override
  public Deployment deploy(RevisionSpec revision) throws AdapterException {
    PipelineSpecs.Parsed parsed = PipelineSpecs.parse(revision.definition());
    if (parsed.spec() == null) {
      return Deployment.invalid(List.of(parsed.problem()));
    }
    String pipelineId = pipeline(revision);
    String versionName = versionName(revision);
    String versionId = findVersion(pipelineId, versionName);
    if (versionId == null) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("pipelineid", pipelineId);
      query.put("name", versionName);
      query.put("display_name", revision.title() + " v" + revision.increment());
      query.put(
          "description",
          "Kaapana workflow " + revision.workflowId() + ", revision " + revision.increment());
      Answer answer =
          http.upload(
              "/pipelines/upload_version",
              query,
              versionName + ".yaml",
              revision.definition().getBytes(StandardCharsets.UTF_8));
      if (answer.status() == 400) {
        // KFP checks the spec as it stores it: its message says what is wrong.
        return Deployment.invalid(List.of(KubeflowHttp.message(answer)));
      }
      if (answer.status() == 409) {
        versionId = findVersion(pipelineId, versionName); // a concurrent deploy was first
      } else if (answer.ok()) {
        versionId = answer.body().path("pipeline_version_id").asText(null);
      } else {
        throw http.failure("uploading " + versionName, answer);
      }
      if (versionId == null) {
        throw new AdapterException(
            ErrorCode.ENGINE_ERROR, "KFP stored " + versionName + " but does not list it");
      }
    }
    List<Deployment.TaskNode> graph = PipelineSpecs.taskGraph(parsed.spec());
    titlesByVersion.put(versionId, graph.stream().map(Deployment.TaskNode::title).toList());
    return Deployment.valid(pipelineId + "/" + versionId, graph);
  }

  /** The workflow's pipeline, created on its first revision. */
  private String pipeline(RevisionSpec revision) throws AdapterException {
    String name = "kaapana-" + revision.workflowId();
    String id = findPipeline(name);
    if (id != null) {
      return id;
    }
    ObjectNode pipeline = KubeflowHttp.JSON.createObjectNode();
    pipeline.put("name", name);
    pipeline.put("display_name", revision.title());
    pipeline.put("description", "Kaapana workflow " + revision.workflowId());
    if (settings.namespace() != null) {
      pipeline.put("namespace", settings.namespace());
    }
    Answer answer = http.send("POST", "/pipelines", Map.of(), pipeline);
    if (answer.ok()) {
      return answer.body().path("pipeline_id").asText();
    }
    if (answer.status() == 409) {
      id = findPipeline(name); // created meanwhile by another replica
      if (id != null) {
        return id;
      }
    }
    throw http.failure("creating the pipeline " + name, answer);
  }

  private String findPipeline(String name) throws AdapterException {
    Answer answer = http.send("GET", "/pipelines/names/" + name, namespaceQuery(), null);
    if (answer.status() == 404) {
      return null;
    }
    if (!answer.ok()) {
      throw http.failure("looking up the pipeline " + name, answer);
    }
    return answer.body().path("pipeline_id").asText(null);
  }

  private String findVersion(String pipelineId, String versionName) throws AdapterException {
    JsonNode versions =
        http.expect(
            "GET",
            "/pipelines/" + pipelineId + "/versions",
            Map.of("filter", Filters.equal("name", versionName), "page_size", "1"),
            null);
    for (JsonNode version : versions.path("pipeline_versions")) {
      if (versionName.equals(version.path("name").asText())) {
        return version.path("pipeline_version_id").asText();
      }
    }
    return null;
  }

  private static String versionName(RevisionSpec revision) {
    return "kaapana-" + revision.workflowId() + "-v" + revision.increment();
  }

  // --- submit and observe ------------------------------------------------------------------------

  @Override
  public String submit(RunSpec run) throws AdapterException {
    JsonNode existing = findRunByName(runName(run.runId()));
    if (existing != null) {
      return existing.path("run_id").asText(); // an earlier submit of this run got through
    }
    Answer answer = createRun(run, engineRef(run.ref().engineRef()));
    if (answer.status() == 404) {
      // The experiment or the pipeline version was deleted in KFP behind the adapter's back:
      // look the experiment up again and upload the revision again, then try once more.
      experiments.remove(experimentName(run));
      Deployment again = deploy(run.revision());
      if (!again.valid()) {
        throw new AdapterException(ErrorCode.REJECTED, String.join("; ", again.messages()));
      }
      answer = createRun(run, engineRef(again.engineRef()));
    }
    if (!answer.ok()) {
      throw http.failure("creating the run " + runName(run.runId()), answer);
    }
    String runId = answer.body().path("run_id").asText("");
    if (runId.isEmpty()) {
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "KFP created a run without a run_id");
    }
    return runId;
  }

  private Answer createRun(RunSpec run, String[] ref) throws AdapterException {
    String experimentId = experiment(experimentName(run));
    ObjectNode body = KubeflowHttp.JSON.createObjectNode();
    body.put("display_name", runName(run.runId()));
    body.put(
        "description",
        "Kaapana run " + run.runId() + "; labels " + KubeflowHttp.JSON.valueToTree(run.labels()));
    body.put("experiment_id", experimentId);
    ObjectNode version = body.putObject("pipeline_version_reference");
    version.put("pipeline_id", ref[0]);
    version.put("pipeline_version_id", ref[1]);
    body.putObject("runtime_config")
        .set("parameters", KubeflowHttp.JSON.valueToTree(run.parameters()));
    if (settings.serviceAccount() != null) {
      body.put("service_account", settings.serviceAccount());
    }
    return http.send("POST", "/runs", Map.of(), body);
  }

  @Override
  public RunObservation observe(RunRef ref) throws AdapterException {
    JsonNode run = findRun(ref);
    if (run == null) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND, "KFP has no run for Kaapana run " + ref.runId());
    }
    boolean terminated =
        logs != null
            && KubeflowRuns.runState(run.path("state").asText("")) == EngineRunState.ERROR
            && logs.terminated(run.path("run_id").asText(""));
    return KubeflowRuns.observation(ref, run, titles(run, ref), terminated, Instant.now());
  }

  /** The run by its KFP id, or (before the id was recorded) by its name; null when KFP has none. */
  private JsonNode findRun(RunRef ref) throws AdapterException {
    if (ref.externalId() == null) {
      return findRunByName(runName(ref.runId()));
    }
    Answer answer = http.send("GET", "/runs/" + ref.externalId(), Map.of(), null);
    if (answer.status() == 404) {
      return null;
    }
    if (!answer.ok()) {
      throw http.failure("reading the run " + ref.externalId(), answer);
    }
    return answer.body();
  }

  private JsonNode findRunByName(String name) throws AdapterException {
    Map<String, String> query = new HashMap<>(namespaceQuery());
    query.put("filter", Filters.equal("display_name", name));
    query.put("page_size", "1");
    JsonNode runs = http.expect("GET", "/runs", query, null);
    for (JsonNode run : runs.path("runs")) {
      if (name.equals(run.path("display_name").asText())) {
        return run;
      }
    }
    return null;
  }

  /** The task titles of the run's pipeline version (read once per version). */
  private List<String> titles(JsonNode run, RunRef ref) throws AdapterException {
    JsonNode reference = run.path("pipeline_version_reference");
    String versionId = reference.path("pipeline_version_id").asText("");
    String pipelineId = reference.path("pipeline_id").asText("");
    if (versionId.isEmpty() && ref.engineRef() != null) {
      String[] parts = engineRef(ref.engineRef());
      pipelineId = parts[0];
      versionId = parts[1];
    }
    if (versionId.isEmpty()) {
      // A run with its spec inline (not one of ours): the spec is in the run.
      return PipelineSpecs.taskTitles(run.path("pipeline_spec"));
    }
    List<String> titles = titlesByVersion.get(versionId);
    if (titles == null) {
      Answer version =
          http.send("GET", "/pipelines/" + pipelineId + "/versions/" + versionId, Map.of(), null);
      if (version.status() == 404) {
        // Retired (deleted) while the run goes on: its tasks are the details KFP gave a driver.
        return KubeflowRuns.titlesFromDetails(run);
      }
      if (!version.ok()) {
        throw http.failure("reading the pipeline version " + versionId, version);
      }
      titles = PipelineSpecs.taskTitles(version.body().path("pipeline_spec"));
      titlesByVersion.put(versionId, titles);
    }
    return titles;
  }

  // --- cancel and retry --------------------------------------------------------------------------

  /**
   * KFP has one way to stop a run: terminate (its Argo workflow is terminated, exit handlers too).
   */
  @Override
  public void cancel(RunRef ref, boolean force) throws AdapterException {
    RunObservation now = observe(ref);
    if (now.state().isSettled()) {
      return;
    }
    Answer answer = http.send("POST", "/runs/" + now.externalId() + ":terminate", Map.of(), null);
    if (answer.ok()) {
      return;
    }
    // KFP refuses to terminate a run that ended meanwhile ("Row not found"): then it is done.
    if (answer.status() == 400 && observe(ref).state().isSettled()) {
      return;
    }
    throw http.failure("terminating " + now.externalId(), answer);
  }

  /**
   * KFP's retry re-runs what failed (its Argo workflow's retry); it cannot re-run the tasks that
   * completed, so scope {@code ALL} is refused. A run that runs again took an earlier request.
   */
  @Override
  public int retry(RunSpec run, RetryScope scope) throws AdapterException {
    if (scope == RetryScope.ALL) {
      throw new AdapterException(
          ErrorCode.REJECTED,
          "Kubeflow Pipelines re-runs only what failed; a retry of every task is not possible");
    }
    RunObservation before = observe(run.ref());
    if (!before.state().isSettled()) {
      return run.ref().attempt() + 1;
    }
    if (before.state() == EngineRunState.COMPLETED) {
      throw new AdapterException(ErrorCode.REJECTED, "the run completed: nothing to retry");
    }
    http.expect("POST", "/runs/" + before.externalId() + ":retry", Map.of(), null);
    return run.ref().attempt() + 1;
  }

  // --- logs --------------------------------------------------------------------------------------

  /** From the pod of the task's latest attempt, through argo-server ({@link KubeflowLogs}). */
  @Override
  public LogPage readLogs(LogQuery query) throws AdapterException {
    if (logs == null) {
      throw AdapterException.unsupported(Capability.LOGS);
    }
    RunObservation run = observe(query.run());
    TaskObservation task =
        run.tasks().stream()
            .filter(t -> t.taskTitle().equals(query.taskTitle()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AdapterException(
                        ErrorCode.NOT_FOUND,
                        "the run has no task " + query.taskTitle() + " (yet)"));
    return logs.read(query, run.externalId(), task.attempt(), task.state().isSettled());
  }

  /** argo-server's follow stream would hold a connection per reader: this asks again instead. */
  @Override
  public LogPage followLogs(LogQuery query, Duration maxWait) throws AdapterException {
    if (logs == null) {
      throw AdapterException.unsupported(Capability.LOG_FOLLOW);
    }
    return LogPolling.follow(this::readLogs, query, maxWait, Duration.ofMillis(500));
  }

  // --- retire ------------------------------------------------------------------------------------

  /**
   * The archived workflow's pipeline versions are deleted; runs keep their own copy of the spec.
   */
  @Override
  public void retire(String workflowId, List<String> engineRefs) throws AdapterException {
    for (String engineRef : engineRefs) {
      String[] ref = engineRef(engineRef);
      Answer answer =
          http.send("DELETE", "/pipelines/" + ref[0] + "/versions/" + ref[1], Map.of(), null);
      if (!answer.ok() && answer.status() != 404) {
        throw http.failure("deleting the pipeline version " + engineRef, answer);
      }
      // The titles stay cached (bounded): runs of the version may still be observed.
      LOG.info(() -> "retired pipeline version " + engineRef + " of workflow " + workflowId);
    }
  }

  @Override
  public void close() {
    // nothing held but the HTTP client, which the JDK closes with its threads
  }

  // --- helpers -----------------------------------------------------------------------------------

  static String runName(String runId) {
    return "kaapana-" + runId;
  }

  private String experimentName(RunSpec run) {
    String name = run.labels().get(settings.experimentLabel());
    return name == null || name.isBlank() ? settings.defaultExperiment() : name;
  }

  /** The experiment's id, created when it does not exist yet. */
  private String experiment(String name) throws AdapterException {
    String known = experiments.get(name);
    if (known != null) {
      return known;
    }
    String id = findExperiment(name);
    if (id == null) {
      ObjectNode experiment = KubeflowHttp.JSON.createObjectNode();
      experiment.put("display_name", name);
      experiment.put(
          "description", "Kaapana runs labelled " + settings.experimentLabel() + "=" + name);
      if (settings.namespace() != null) {
        experiment.put("namespace", settings.namespace());
      }
      Answer answer = http.send("POST", "/experiments", Map.of(), experiment);
      if (answer.ok()) {
        id = answer.body().path("experiment_id").asText();
      } else if (answer.status() == 409) {
        id = findExperiment(name);
      }
      if (id == null) {
        throw http.failure("creating the experiment " + name, answer);
      }
    }
    experiments.put(name, id);
    return id;
  }

  private String findExperiment(String name) throws AdapterException {
    Map<String, String> query = new HashMap<>(namespaceQuery());
    query.put("filter", Filters.equal("display_name", name));
    query.put("page_size", "1");
    for (JsonNode experiment :
        http.expect("GET", "/experiments", query, null).path("experiments")) {
      if (name.equals(experiment.path("display_name").asText())) {
        return experiment.path("experiment_id").asText();
      }
    }
    return null;
  }

  private Map<String, String> namespaceQuery() {
    return settings.namespace() == null ? Map.of() : Map.of("namespace", settings.namespace());
  }

  private static String[] engineRef(String engineRef) throws AdapterException {
    String[] parts = engineRef == null ? new String[0] : engineRef.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new AdapterException(
          ErrorCode.INVALID_REQUEST,
          "not an engine reference of this adapter (<pipeline id>/<version id>): " + engineRef);
    }
    return parts;
  }

  private static <V> Map<String, V> lru() {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > CACHED;
          }
        });
  }
}
