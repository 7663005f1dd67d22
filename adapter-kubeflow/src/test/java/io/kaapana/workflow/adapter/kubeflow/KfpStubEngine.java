package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated KFP installation behind {@link KfpServerStub}: pipelines, versions, experiments,
 * and runs whose container tasks run as local processes (their {@code command} + {@code args} from
 * the pipeline spec, with input placeholders filled in; the image is ignored), advanced every 100
 * ms the way KFP on Argo advances them:
 *
 * <ul>
 *   <li>A task starts when the tasks it depends on succeeded; below a failed task, tasks are
 *       omitted (their Argo nodes are {@code Omitted}, which KFP reports as {@code
 *       RUNTIME_STATE_UNSPECIFIED}); the run ends {@code SUCCEEDED} or {@code FAILED}.
 *   <li>Task details are KFP's view of the Argo nodes: per task {@code <key>-driver}, {@code <key>}
 *       (the executor DAG, its child the pod) and {@code executor} (the pod), beside {@code
 *       root-driver}, {@code root} and the workflow's own node. Each detail is kept and updated in
 *       place; its {@code state_history} gets every new state. Unset times are the epoch.
 *   <li>{@code :terminate} of a running run: {@code CANCELING} (no history entry), its processes
 *       killed (their tasks {@code FAILED}), its workflow shut down, then {@code FAILED}, as KFP
 *       2.17 reports it (seen against a real KFP API server); of an ended run 400 ("Row not
 *       found").
 *   <li>{@code :retry} of a {@code FAILED} or {@code CANCELED} run (its Argo workflow failed)
 *       re-runs the failed and omitted tasks in the same details; otherwise 500, as KFP's {@code
 *       CanRetry} refuses.
 *   <li>Upload of a version checks what KFP's {@code NewV2SpecTemplate} checks: YAML, a pipeline
 *       spec document, schema version 2.1.0, the pipeline name, a root component.
 * </ul>
 */
final class KfpStubEngine implements AutoCloseable {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NEVER = "1970-01-01T00:00:00Z";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\$\\.inputs\\.parameters\\['([^']+)'\\]\\}\\}");
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A grpc-gateway error (or, for the upload endpoint, its own). */
  static final class ApiError extends RuntimeException {
    final int status;
    final int code;

    ApiError(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private static final class Task {
    final String key;
    String phase; // null (no node yet), Running, Succeeded, Failed, Omitted
    Process process;
    Path log;

    Task(String key) {
      this.key = key;
    }
  }

  private static final class Run {
    final ObjectNode json;
    final JsonNode spec;
    final String workflowName;
    final Map<String, Task> tasks = new LinkedHashMap<>();
    final Map<String, ObjectNode> details = new LinkedHashMap<>();
    boolean terminating;

    /** Its Argo workflow was terminated (deadline 0); KFP's retry clears it. */
    boolean shutdown;

    Run(ObjectNode json, JsonNode spec, String workflowName) {
      this.json = json;
      this.spec = spec;
      this.workflowName = workflowName;
    }

    String state() {
      return json.path("state").asText();
    }
  }

  private final Path directory;
  private final Consumer<String> problems;
  private final Map<String, ObjectNode> pipelines = new LinkedHashMap<>();
  private final Map<String, ObjectNode> versions = new LinkedHashMap<>();
  private final Map<String, ObjectNode> experiments = new LinkedHashMap<>();
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  KfpStubEngine(Path directory, Consumer<String> problems) {
    this.directory = directory;
    this.problems = problems;
    ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  // --- pipelines and versions ----------------------------------------------------------------

  synchronized JsonNode createPipeline(JsonNode body) {
    String name = body.path("name").asText(body.path("display_name").asText(""));
    String namespace = body.path("namespace").asText("");
    for (ObjectNode pipeline : pipelines.values()) {
      if (pipeline.path("name").asText().equals(name)
          && pipeline.path("namespace").asText("").equals(namespace)) {
        throw new ApiError(
            409,
            6,
            "Failed to create a pipeline due to error validating name. Pipeline with name "
                + name
                + " already exists in namespace "
                + namespace);
      }
    }
    ObjectNode pipeline = KubeflowHttp.JSON.createObjectNode();
    pipeline.put("pipeline_id", UUID.randomUUID().toString());
    pipeline.put("name", name);
    pipeline.put("display_name", body.path("display_name").asText(name));
    pipeline.put("description", body.path("description").asText(""));
    pipeline.put("created_at", now());
    if (!namespace.isEmpty()) {
      pipeline.put("namespace", namespace);
    }
    pipelines.put(pipeline.path("pipeline_id").asText(), pipeline);
    return pipeline;
  }

  synchronized JsonNode pipelineByName(String name, String namespace) {
    for (ObjectNode pipeline : pipelines.values()) {
      if (pipeline.path("name").asText().equals(name)
          && pipeline.path("namespace").asText("").equals(namespace)) {
        return pipeline;
      }
    }
    throw new ApiError(
        404, 5, "Failed to get a pipeline with name " + name + " and namespace " + namespace);
  }

  synchronized JsonNode uploadVersion(Map<String, String> query, byte[] file) {
    String pipelineId = query.getOrDefault("pipelineid", "");
    if (file == null || pipelineId.isEmpty() || !pipelines.containsKey(pipelineId)) {
      throw new ApiError(400, 3, "Failed to create a pipeline version");
    }
    String name = query.getOrDefault("name", "");
    for (ObjectNode version : versions.values()) {
      if (version.path("pipeline_id").asText().equals(pipelineId)
          && version.path("name").asText().equals(name)) {
        throw new ApiError(409, 6, "Failed to create a pipeline version");
      }
    }
    JsonNode spec = checkSpec(new String(file, StandardCharsets.UTF_8));
    ObjectNode version = KubeflowHttp.JSON.createObjectNode();
    version.put("pipeline_id", pipelineId);
    version.put("pipeline_version_id", UUID.randomUUID().toString());
    version.put("name", name);
    version.put("display_name", query.getOrDefault("display_name", name));
    version.put("description", query.getOrDefault("description", ""));
    version.put("created_at", now());
    version.set("pipeline_spec", spec);
    versions.put(version.path("pipeline_version_id").asText(), version);
    return version;
  }

  /** What KFP 2.17's NewV2SpecTemplate refuses, in its words. */
  private static JsonNode checkSpec(String text) {
    JsonNode spec = null;
    try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.has("pipelineInfo")) {
          if (spec != null) {
            throw new ApiError(400, 3, "multiple pipeline specs provided");
          }
          spec = document;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiError error) {
        throw error;
      }
      throw new ApiError(400, 3, "unable to decode yaml document: " + e.getMessage());
    }
    if (spec == null) {
      throw new ApiError(400, 3, "no pipeline spec is provided");
    }
    String schema = spec.path("schemaVersion").asText("");
    if (!schema.equals("2.1.0")) {
      throw new ApiError(
          400,
          3,
          "KFP only supports schema version 2.1.0, but the pipeline spec has version " + schema);
    }
    String name = spec.path("pipelineInfo").path("name").asText("");
    if (name.isEmpty()) {
      throw new ApiError(400, 3, "invalid v2 pipeline spec: name is empty");
    }
    if (!NAME.matcher(name).find()) {
      throw new ApiError(
          400,
          3,
          "invalid v2 pipeline spec: name should consist of lower case alphanumeric characters,"
              + " '-' or '.', and must start and end with an alphanumeric character");
    }
    if (!spec.has("root")) {
      throw new ApiError(400, 3, "invalid v2 pipeline spec: root component is empty");
    }
    return spec;
  }

  synchronized JsonNode listVersions(String pipelineId, String filter, int pageSize) {
    if (!pipelines.containsKey(pipelineId)) {
      throw new ApiError(404, 5, "Failed to list pipeline versions: pipeline " + pipelineId);
    }
    List<JsonNode> found = new ArrayList<>();
    for (ObjectNode version : versions.values()) {
      if (version.path("pipeline_id").asText().equals(pipelineId) && matches(version, filter)) {
        ObjectNode listed = version.deepCopy();
        listed.remove("pipeline_spec");
        found.add(listed);
      }
    }
    return page("pipeline_versions", found, pageSize);
  }

  synchronized JsonNode version(String pipelineId, String versionId) {
    ObjectNode version = versions.get(versionId);
    if (version == null || !version.path("pipeline_id").asText().equals(pipelineId)) {
      throw new ApiError(404, 5, "Failed to get pipeline version " + versionId);
    }
    return version;
  }

  synchronized void deleteVersion(String pipelineId, String versionId) {
    version(pipelineId, versionId);
    versions.remove(versionId);
  }

  synchronized List<String> versionNames(String pipelineName) {
    List<String> names = new ArrayList<>();
    for (ObjectNode pipeline : pipelines.values()) {
      if (pipeline.path("name").asText().equals(pipelineName)) {
        for (ObjectNode version : versions.values()) {
          if (version.path("pipeline_id").asText().equals(pipeline.path("pipeline_id").asText())) {
            names.add(version.path("name").asText());
          }
        }
      }
    }
    return names;
  }

  // --- experiments -----------------------------------------------------------------------------

  synchronized JsonNode createExperiment(JsonNode body) {
    String name = body.path("display_name").asText("");
    String namespace = body.path("namespace").asText("");
    for (ObjectNode experiment : experiments.values()) {
      if (experiment.path("display_name").asText().equals(name)
          && experiment.path("namespace").asText("").equals(namespace)) {
        throw new ApiError(
            409, 6, "Failed to create a new experiment: experiment " + name + " already exists");
      }
    }
    ObjectNode experiment = KubeflowHttp.JSON.createObjectNode();
    experiment.put("experiment_id", UUID.randomUUID().toString());
    experiment.put("display_name", name);
    experiment.put("description", body.path("description").asText(""));
    experiment.put("created_at", now());
    if (!namespace.isEmpty()) {
      experiment.put("namespace", namespace);
    }
    experiment.put("storage_state", "AVAILABLE");
    experiments.put(experiment.path("experiment_id").asText(), experiment);
    return experiment;
  }

  synchronized JsonNode listExperiments(String namespace, String filter, int pageSize) {
    List<JsonNode> found = new ArrayList<>();
    for (ObjectNode experiment : experiments.values()) {
      if (experiment.path("namespace").asText("").equals(namespace)
          && matches(experiment, filter)) {
        found.add(experiment);
      }
    }
    return page("experiments", found, pageSize);
  }

  // --- runs --------------------------------------------------------------------------------------

  synchronized JsonNode createRun(JsonNode body) {
    String experimentId = body.path("experiment_id").asText("");
    if (!experiments.containsKey(experimentId)) {
      throw new ApiError(
          404, 5, "Failed to create a run: experiment " + experimentId + " not found");
    }
    JsonNode reference = body.path("pipeline_version_reference");
    ObjectNode version = versions.get(reference.path("pipeline_version_id").asText(""));
    if (version == null) {
      throw new ApiError(
          404, 5, "Failed to create a run: pipeline version " + reference + " not found");
    }
    ObjectNode run = KubeflowHttp.JSON.createObjectNode();
    String runId = UUID.randomUUID().toString();
    run.put("experiment_id", experimentId);
    run.put("run_id", runId);
    run.put("display_name", body.path("display_name").asText(""));
    run.put("storage_state", "AVAILABLE");
    run.put("description", body.path("description").asText(""));
    run.put("pipeline_version_id", version.path("pipeline_version_id").asText());
    run.set("pipeline_version_reference", reference.deepCopy());
    run.set("runtime_config", body.path("runtime_config").deepCopy());
    if (body.has("service_account")) {
      run.put("service_account", body.path("service_account").asText());
    }
    run.put("created_at", now());
    run.put("scheduled_at", now());
    run.put("finished_at", NEVER);
    run.putArray("state_history");
    run.putObject("run_details").putArray("task_details");
    JsonNode spec = version.path("pipeline_spec");
    String workflow =
        spec.path("pipelineInfo").path("name").asText("pipeline")
            + "-"
            + UUID.randomUUID().toString().substring(0, 5);
    Run simulated = new Run(run, spec, workflow);
    spec.path("root")
        .path("dag")
        .path("tasks")
        .fieldNames()
        .forEachRemaining(key -> simulated.tasks.put(key, new Task(key)));
    setState(simulated, "PENDING");
    runs.put(runId, simulated);
    return run.deepCopy();
  }

  synchronized JsonNode listRuns(String namespace, String filter, int pageSize) {
    List<JsonNode> found = new ArrayList<>();
    for (Run run : runs.values()) {
      if (matches(run.json, filter)) {
        found.add(run.json.deepCopy());
      }
    }
    return page("runs", found, pageSize);
  }

  synchronized JsonNode run(String runId) {
    Run run = runs.get(runId);
    return run == null ? null : run.json.deepCopy();
  }

  synchronized String experimentOf(String runId) {
    Run run = runs.get(runId);
    ObjectNode experiment =
        run == null ? null : experiments.get(run.json.path("experiment_id").asText());
    return experiment == null ? null : experiment.path("display_name").asText();
  }

  synchronized JsonNode runOrNotFound(String runId) {
    JsonNode run = run(runId);
    if (run == null) {
      throw new ApiError(
          404, 5, "Failed to get a run: Run " + runId + " not found: ResourceNotFoundError");
    }
    return run;
  }

  synchronized void terminate(String runId) {
    Run run = runs.get(runId);
    if (run == null) {
      throw new ApiError(404, 5, "Failed to terminate run " + runId + ": run not found");
    }
    if (!List.of("PENDING", "RUNNING", "PAUSED", "RUNTIME_STATE_UNSPECIFIED")
        .contains(run.state())) {
      throw new ApiError(
          400,
          3,
          "Failed to terminate run "
              + runId
              + ": Failed to terminate a run "
              + runId
              + ". Row not found");
    }
    // KFP 2.17 sets CANCELING without a history entry; the workflow's end then makes it FAILED.
    run.json.put("state", "CANCELING");
    run.terminating = true;
    run.shutdown = true;
  }

  synchronized void retry(String runId) {
    Run run = runs.get(runId);
    if (run == null) {
      throw new ApiError(404, 5, "Failed to retry run " + runId + ": run not found");
    }
    if (!run.state().equals("FAILED") && !run.state().equals("CANCELED")) {
      throw new ApiError(500, 13, "Failed to retry run " + runId + " as it does not allow retries");
    }
    for (Task task : run.tasks.values()) {
      if ("Failed".equals(task.phase) || "Omitted".equals(task.phase)) {
        task.phase = null; // Argo deletes the node; KFP keeps its detail for the new one
      }
    }
    run.terminating = false;
    run.shutdown = false;
    run.json.put("finished_at", NEVER);
    setState(run, "RUNNING");
  }

  synchronized List<Long> runningTasks() {
    List<Long> pids = new ArrayList<>();
    for (Run run : runs.values()) {
      for (Task task : run.tasks.values()) {
        if (task.process != null && task.process.isAlive()) {
          pids.add(task.process.pid());
        }
      }
    }
    return pids;
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    for (Run run : runs.values()) {
      for (Task task : run.tasks.values()) {
        if (task.process != null) {
          task.process.destroyForcibly();
        }
      }
    }
  }

  // --- the simulated controller ----------------------------------------------------------------

  private synchronized void tick() {
    try {
      for (Run run : runs.values()) {
        advance(run);
      }
    } catch (RuntimeException e) {
      problems.accept("the stub's controller failed: " + e);
    }
  }

  private void advance(Run run) {
    String state = run.state();
    if (!state.equals("PENDING") && !state.equals("RUNNING") && !state.equals("CANCELING")) {
      return;
    }
    if (state.equals("PENDING")) {
      setState(run, "RUNNING");
    }
    detail(run, run.workflowName, "RUNNING", List.of("root-driver", "root"));
    detail(run, "root-driver", "SUCCEEDED", List.of());
    for (Task task : run.tasks.values()) {
      if ("Running".equals(task.phase) && !task.process.isAlive()) {
        task.phase = task.process.exitValue() == 0 ? "Succeeded" : "Failed";
      }
      if (run.terminating && "Running".equals(task.phase)) {
        task.process.descendants().forEach(ProcessHandle::destroyForcibly);
        task.process.destroyForcibly();
        task.phase = "Failed";
      }
    }
    if (!run.terminating) {
      for (Task task : run.tasks.values()) {
        if (task.phase != null) {
          continue;
        }
        boolean ready = true;
        boolean omitted = false;
        for (JsonNode upstream : taskSpec(run, task.key).path("dependentTasks")) {
          String phase = run.tasks.get(upstream.asText()).phase;
          ready &= "Succeeded".equals(phase);
          omitted |= "Failed".equals(phase) || "Omitted".equals(phase);
        }
        if (omitted) {
          task.phase = "Omitted";
        } else if (ready) {
          start(run, task);
        }
      }
    }
    boolean running = false;
    boolean failed = false;
    boolean succeeded = true;
    for (Task task : run.tasks.values()) {
      running |= "Running".equals(task.phase) || task.phase == null && !run.terminating;
      failed |= "Failed".equals(task.phase);
      succeeded &= "Succeeded".equals(task.phase);
      report(run, task);
    }
    String rootState = running ? "RUNNING" : succeeded ? "SUCCEEDED" : "FAILED";
    detail(run, "root", rootState, List.copyOf(run.tasks.keySet()));
    detail(run, run.workflowName, rootState, List.of("root-driver", "root"));
    if (!running) {
      run.json.put("finished_at", now());
      // A terminated run ends FAILED in KFP 2.17 too: only its workflow's shutdown tells.
      setState(run, failed || !succeeded ? "FAILED" : "SUCCEEDED");
      run.terminating = false;
    }
  }

  /** The task's details as KFP reports its Argo nodes. */
  private void report(Run run, Task task) {
    if (task.phase == null) {
      return;
    }
    String state =
        switch (task.phase) {
          case "Running" -> "RUNNING";
          case "Succeeded" -> "SUCCEEDED";
          case "Failed" -> "FAILED";
          default -> "RUNTIME_STATE_UNSPECIFIED"; // Argo's Omitted: KFP knows no such state
        };
    detail(
        run,
        task.key + "-driver",
        "Omitted".equals(task.phase) ? "RUNTIME_STATE_UNSPECIFIED" : "SUCCEEDED",
        List.of());
    if ("Omitted".equals(task.phase)) {
      detail(run, task.key, state, List.of());
    } else {
      String executor = task.key + "/executor";
      detail(run, task.key, state, List.of(executor));
      detail(run, executor, state, List.of());
    }
  }

  /**
   * Creates or updates one task detail (keyed by its node), appending a changed state to its
   * history; the node {@code <key>/executor} is displayed as {@code executor}, as in KFP.
   */
  private void detail(Run run, String node, String state, List<String> children) {
    ObjectNode detail = run.details.get(node);
    ArrayNode list = (ArrayNode) run.json.path("run_details").path("task_details");
    if (detail == null) {
      detail = list.addObject();
      detail.put("run_id", run.json.path("run_id").asText());
      detail.put("task_id", UUID.randomUUID().toString());
      detail.put("display_name", node.endsWith("/executor") ? "executor" : node);
      detail.put("create_time", now());
      detail.put("start_time", NEVER);
      detail.put("end_time", NEVER);
      detail.putArray("state_history");
      run.details.put(node, detail);
    }
    String before = detail.path("state").asText("RUNTIME_STATE_UNSPECIFIED");
    if (!state.equals(before) || detail.path("state_history").isEmpty()) {
      ArrayNode history = (ArrayNode) detail.get("state_history");
      ObjectNode entry = history.addObject().put("update_time", now());
      // protojson leaves out an enum's zero value: an unspecified state is no field at all.
      if (state.equals("RUNTIME_STATE_UNSPECIFIED")) {
        detail.remove("state");
      } else {
        detail.put("state", state);
        entry.put("state", state);
      }
      if (state.equals("RUNNING")) {
        detail.put("start_time", now());
        detail.put("end_time", NEVER);
      } else if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
        if (detail.path("start_time").asText().equals(NEVER)) {
          detail.put("start_time", now());
        }
        detail.put("end_time", now());
      }
    }
    ArrayNode childTasks = detail.putArray("child_tasks");
    for (String child : children) {
      // KFP lists a node's children by their Argo node ids.
      childTasks
          .addObject()
          .put("pod_name", run.workflowName + "-" + Integer.toUnsignedString(child.hashCode()));
    }
  }

  private void start(Run run, Task task) {
    JsonNode taskSpec = taskSpec(run, task.key);
    String component = taskSpec.path("componentRef").path("name").asText();
    String executor = run.spec.path("components").path(component).path("executorLabel").asText();
    JsonNode container =
        run.spec.path("deploymentSpec").path("executors").path(executor).path("container");
    List<String> command = new ArrayList<>();
    container.path("command").forEach(c -> command.add(resolve(run, taskSpec, c.asText())));
    container.path("args").forEach(c -> command.add(resolve(run, taskSpec, c.asText())));
    Path pod = directory.resolve(run.workflowName + "-" + task.key);
    try {
      Files.createDirectories(pod);
      task.log = pod.resolve("main.log");
      Files.deleteIfExists(task.log); // a retried task's pod starts a new log
      Files.createFile(task.log);
      task.process =
          new ProcessBuilder(command).directory(pod.toFile()).redirectErrorStream(true).start();
      Process process = task.process;
      Path log = task.log;
      Thread copier = new Thread(() -> copyOutput(process, log), "kfp-stub-" + task.key);
      copier.setDaemon(true);
      copier.start();
      task.phase = "Running";
    } catch (IOException | RuntimeException e) {
      problems.accept("the stub cannot start " + task.key + ": " + e);
      task.phase = "Failed";
    }
  }

  /** The container's output with Kubernetes' timestamps, as a kubelet keeps it. */
  private static void copyOutput(Process process, Path log) {
    try (var out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Files.writeString(
            log,
            Instant.now() + " " + line + "\n",
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      // the process was killed: what it wrote is what there is
    }
  }

  // --- the installation's Argo workflows, for the pods' logs -----------------------------------

  private static final String IMPL = "system-container-impl";

  /**
   * The run's Argo workflow as KFP 2.17 compiles it, as far as logs need it: per task a DAG node
   * named by the task's key (template {@code system-container-executor}) whose child {@code
   * executor} is the pod (template {@code system-container-impl}); node ids and pod names as Argo
   * makes them.
   */
  synchronized JsonNode argoWorkflow(String runId, String namespace) {
    Run run = runs.get(runId);
    if (run == null) {
      return null;
    }
    ObjectNode workflow = KubeflowHttp.JSON.createObjectNode();
    ObjectNode metadata = workflow.putObject("metadata");
    metadata.put("name", run.workflowName);
    metadata.put("namespace", namespace);
    metadata.putObject("labels").put(KubeflowLogs.RUN_ID_LABEL, runId);
    ObjectNode spec = workflow.putObject("spec").put("entrypoint", "entrypoint");
    if (run.shutdown) {
      spec.put("activeDeadlineSeconds", 0); // how KFP 2.17 terminates a workflow
    }
    ObjectNode status = workflow.putObject("status");
    String state = run.state();
    status.put(
        "phase",
        state.equals("SUCCEEDED")
            ? "Succeeded"
            : state.equals("FAILED") || state.equals("CANCELED") ? "Failed" : "Running");
    ObjectNode nodes = status.putObject("nodes");
    ObjectNode root = node(nodes, run.workflowName + ".root", "root", "DAG", "root", "Running");
    for (Task task : run.tasks.values()) {
      if (task.phase == null) {
        continue;
      }
      String name = run.workflowName + ".root." + task.key;
      boolean omitted = "Omitted".equals(task.phase);
      ObjectNode dag =
          node(
              nodes,
              name,
              task.key,
              omitted ? "Skipped" : "DAG",
              "system-container-executor",
              task.phase);
      root.withArray("/children").add(dag.path("id").asText());
      if (!omitted) {
        ObjectNode pod = node(nodes, name + ".executor", "executor", "Pod", IMPL, task.phase);
        dag.withArray("/children").add(pod.path("id").asText());
      }
    }
    return workflow;
  }

  private ObjectNode node(
      ObjectNode nodes,
      String name,
      String displayName,
      String type,
      String template,
      String phase) {
    String workflowName = name.substring(0, name.indexOf('.'));
    String id =
        workflowName
            + "-"
            + Integer.toUnsignedString(io.kaapana.workflow.adapter.support.PodLogs.fnv32a(name));
    ObjectNode node = nodes.putObject(id);
    node.put("id", id);
    node.put("name", name);
    node.put("displayName", displayName);
    node.put("type", type);
    node.put("templateName", template);
    node.put("phase", phase);
    return node;
  }

  /** The timestamped lines of the pod with that name (as its latest start wrote them). */
  synchronized List<String> podLog(String podName) {
    for (Run run : runs.values()) {
      for (Task task : run.tasks.values()) {
        String pod =
            io.kaapana.workflow.adapter.support.PodLogs.argoPodName(
                run.workflowName, IMPL, run.workflowName + ".root." + task.key + ".executor");
        if (pod.equals(podName) && task.log != null) {
          try {
            return Files.readAllLines(task.log, StandardCharsets.UTF_8);
          } catch (IOException e) {
            return List.of();
          }
        }
      }
    }
    return List.of();
  }

  /** Fills in {@code {{$.inputs.parameters['x']}}} from the task's inputs (a few levels deep). */
  private static String resolve(Run run, JsonNode taskSpec, String text) {
    String resolved = text;
    for (int depth = 0; depth < 3 && PLACEHOLDER.matcher(resolved).find(); depth++) {
      Matcher m = PLACEHOLDER.matcher(resolved);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(input(run, taskSpec, m.group(1))));
      }
      m.appendTail(out);
      resolved = out.toString();
    }
    return resolved;
  }

  private static String input(Run run, JsonNode taskSpec, String name) {
    JsonNode input = taskSpec.path("inputs").path("parameters").path(name);
    if (input.has("runtimeValue")) {
      JsonNode constant = input.path("runtimeValue").path("constant");
      return constant.isTextual() ? constant.asText() : constant.toString();
    }
    String pipelineParameter = input.path("componentInputParameter").asText(name);
    JsonNode given = run.json.path("runtime_config").path("parameters").path(pipelineParameter);
    if (given.isMissingNode() || given.isNull()) {
      given =
          run.spec
              .path("root")
              .path("inputDefinitions")
              .path("parameters")
              .path(pipelineParameter)
              .path("defaultValue");
    }
    return given.isTextual() ? given.asText() : given.isMissingNode() ? "" : given.toString();
  }

  private static JsonNode taskSpec(Run run, String key) {
    return run.spec.path("root").path("dag").path("tasks").path(key);
  }

  private static void setState(Run run, String state) {
    if (!state.equals(run.json.path("state").asText(""))) {
      run.json.put("state", state);
      ((ArrayNode) run.json.get("state_history"))
          .addObject()
          .put("update_time", now())
          .put("state", state);
    }
  }

  // --- lists -------------------------------------------------------------------------------------

  /** KFP's filter: EQUALS predicates on top-level string fields are what the adapter sends. */
  private boolean matches(JsonNode item, String filter) {
    if (filter == null || filter.isEmpty()) {
      return true;
    }
    JsonNode parsed;
    try {
      parsed = KubeflowHttp.JSON.readTree(filter);
    } catch (IOException e) {
      throw new ApiError(400, 3, "Invalid filter: " + e.getMessage());
    }
    for (JsonNode predicate : parsed.path("predicates")) {
      if (!predicate.path("operation").asText().equals("EQUALS")
          || !predicate.has("string_value")) {
        problems.accept("the stub knows only EQUALS on strings: " + filter);
        return false;
      }
      if (!item.path(predicate.path("key").asText())
          .asText("")
          .equals(predicate.path("string_value").asText())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode page(String field, List<JsonNode> items, int pageSize) {
    ObjectNode page = KubeflowHttp.JSON.createObjectNode();
    ArrayNode array = page.putArray(field);
    items.stream().limit(Math.max(1, pageSize)).forEach(array::add);
    page.put("total_size", items.size());
    if (items.size() > Math.max(1, pageSize)) {
      page.put("next_page_token", "more");
    }
    return page;
  }

  private static String now() {
    return Instant.now().toString();
  }
}
