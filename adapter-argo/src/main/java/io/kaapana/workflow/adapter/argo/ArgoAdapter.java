package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogPolling;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.PodLogs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Drives Argo Workflows through argo-server's REST API. A revision is a WorkflowTemplate, a run a
 * Workflow submitted from it (names derived from Kaapana's ids, see {@link ArgoNames}).
 */
final class ArgoAdapter implements WorkflowAdapter {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String API = "/api/v1";
  private static final int SELECTOR_CHUNK = 50;

  /** The artifact in which Argo archives a pod's main log ({@code archiveLogs}). */
  private static final String LOG_ARTIFACT = "main-logs";

  /** What the adapter reads of a workflow; argo-server leaves the rest out of lists and events. */
  private static final List<String> WORKFLOW_FIELDS =
      List.of(
          "metadata.name",
          "metadata.labels",
          "metadata.resourceVersion",
          "spec.shutdown",
          "spec.arguments",
          "status.phase",
          "status.message",
          "status.startedAt",
          "status.finishedAt",
          "status.nodes",
          "status.offloadNodeStatusVersion",
          "status.storedWorkflowTemplateSpec");

  /** {@link #WORKFLOW_FIELDS} as the list endpoint's {@code fields} (with the paging metadata). */
  private static final String LIST_FIELDS =
      String.join(
          ",",
          Stream.concat(
                  Stream.of("metadata.resourceVersion", "metadata.continue"),
                  WORKFLOW_FIELDS.stream().map(field -> "items." + field))
              .toList());

  /** {@link #WORKFLOW_FIELDS} as the workflow-events stream's {@code fields}. */
  private static final String EVENT_FIELDS =
      String.join(
          ",",
          Stream.concat(
                  Stream.of("result.type"),
                  WORKFLOW_FIELDS.stream().map(field -> "result.object." + field))
              .toList());

  private final ArgoHttp http;
  private final String namespace;
  private final String serviceAccount;
  private final ArgoWatch watch;

  ArgoAdapter(ArgoHttp http, String serviceAccount, Duration relistAfter) {
    this.http = http;
    this.namespace = http.namespace();
    this.serviceAccount = serviceAccount;
    this.watch = new ArgoWatch(http, Map.of("fields", EVENT_FIELDS), relistAfter);
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.CANCEL,
        Capability.RETRY_RUN,
        Capability.RETRY_TASK,
        Capability.VALIDATE,
        Capability.LOGS,
        Capability.LOG_FOLLOW);
  }

  // --- definitions ---------------------------------------------------------------------------

  @Override
  public Deployment deploy(RevisionSpec revision) throws AdapterException {
    ObjectNode template;
    try {
      JsonNode parsed = YAML.readTree(revision.definition());
      if (parsed == null || !parsed.isObject()) {
        return Deployment.invalid(List.of("the definition is not a WorkflowTemplate object"));
      }
      template = (ObjectNode) parsed;
    } catch (IOException e) {
      return Deployment.invalid(
          List.of("the definition is neither YAML nor JSON: " + e.getMessage()));
    }
    String kind = template.path("kind").asText("WorkflowTemplate");
    if (!kind.equals("WorkflowTemplate")) {
      return Deployment.invalid(List.of("the definition must be a WorkflowTemplate, got " + kind));
    }
    String name = ArgoNames.templateName(revision.workflowId(), revision.increment());
    template.put("apiVersion", "argoproj.io/v1alpha1");
    template.put("kind", "WorkflowTemplate");
    ObjectNode metadata = template.putObject("metadata"); // the adapter names it
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    ObjectNode labels = metadata.putObject("labels");
    labels.put("kaapana.io/workflow-id", revision.workflowId());
    labels.put("kaapana.io/increment", String.valueOf(revision.increment()));

    ObjectNode lint = ArgoHttp.JSON.createObjectNode();
    lint.put("namespace", namespace);
    lint.set("template", template);
    EngineClient.Answer linted =
        http.send("POST", API + "/workflow-templates/" + namespace + "/lint", Map.of(), lint);
    if (linted.status() == 400 || linted.status() == 422) {
      return Deployment.invalid(
          List.of("Argo refuses the WorkflowTemplate: " + ArgoHttp.message(linted)));
    }
    if (!linted.ok()) {
      throw http.failure("linting " + name, linted);
    }

    EngineClient.Answer existing =
        http.send("GET", API + "/workflow-templates/" + namespace + "/" + name, Map.of(), null);
    if (existing.status() == 404) {
      ObjectNode create = ArgoHttp.JSON.createObjectNode();
      create.put("namespace", namespace);
      create.set("template", template);
      EngineClient.Answer created =
          http.send("POST", API + "/workflow-templates/" + namespace, Map.of(), create);
      if (!created.ok() && created.status() != 409) { // 409: another replica was first
        throw http.failure("creating " + name, created);
      }
    } else if (!existing.ok()) {
      throw http.failure("reading " + name, existing);
    } else if (!existing.body().path("spec").equals(template.path("spec"))) {
      // Someone changed the template in the cluster: the revision's definition wins.
      metadata.put(
          "resourceVersion", existing.body().path("metadata").path("resourceVersion").asText());
      ObjectNode update = ArgoHttp.JSON.createObjectNode();
      update.put("name", name);
      update.put("namespace", namespace);
      update.set("template", template);
      http.expect("PUT", API + "/workflow-templates/" + namespace + "/" + name, Map.of(), update);
    }
    return Deployment.valid(name, ArgoWorkflows.taskGraph(template.path("spec")));
  }

  // --- runs ----------------------------------------------------------------------------------

  @Override
  public String submit(RunSpec run) throws AdapterException {
    String template =
        run.ref().engineRef() != null
            ? run.ref().engineRef()
            : ArgoNames.templateName(run.revision().workflowId(), run.revision().increment());
    String name = ArgoNames.workflowName(run.runId());
    ObjectNode options = ArgoHttp.JSON.createObjectNode();
    options.put("name", name);
    options.put(
        "labels", ArgoNames.labelString(ArgoNames.workflowLabels(run.runId(), run.labels())));
    ArrayNode parameters = options.putArray("parameters");
    run.parameters().forEach((key, value) -> parameters.add(key + "=" + parameterValue(value)));
    parameters.add(ArgoWorkflows.ATTEMPTS_PARAMETER + "={}");
    if (serviceAccount != null) {
      options.put("serviceAccount", serviceAccount);
    }
    ObjectNode body = ArgoHttp.JSON.createObjectNode();
    body.put("namespace", namespace);
    body.put("resourceKind", "WorkflowTemplate");
    body.put("resourceName", template);
    body.set("submitOptions", options);
    EngineClient.Answer answer =
        http.send("POST", API + "/workflows/" + namespace + "/submit", Map.of(), body);
    if (answer.status() == 404 && deploy(run.revision()).valid()) {
      // Someone deleted the WorkflowTemplate in the cluster: the revision brings it back.
      answer = http.send("POST", API + "/workflows/" + namespace + "/submit", Map.of(), body);
    }
    if (answer.ok()) {
      return name;
    }
    if (answer.status() == 409 && findWorkflow(name) != null) {
      return name; // an earlier submit of this run made it
    }
    throw http.failure("submitting " + name + " from " + template, answer);
  }

  /** Argo parameters are strings: scalars as they are, objects and lists as JSON. */
  static String parameterValue(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof java.math.BigDecimal number) {
      return number.toPlainString(); // 1000, not 1E+3
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return ArgoHttp.JSON.valueToTree(value).toString();
  }

  @Override
  public RunObservation observe(RunRef ref) throws AdapterException {
    JsonNode workflow = findWorkflow(ArgoNames.workflowName(ref.runId()));
    if (workflow == null) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND, "Argo has no workflow " + ArgoNames.workflowName(ref.runId()));
    }
    return ArgoWorkflows.observation(ref, workflow); // a GET brings offloaded statuses back
  }

  /**
   * Runs the {@code workflow-events} stream has a fresh copy of come from it; the others are listed
   * (one call per 50 runs, selected by their run-id label, paged with {@code continue}), which also
   * starts the stream.
   */
  @Override
  public List<RunObservation> observeAll(Collection<RunRef> runs) throws AdapterException {
    Map<String, RunRef> byRunId = new LinkedHashMap<>();
    runs.forEach(ref -> byRunId.put(ref.runId(), ref));
    watch.retain(byRunId.keySet());
    List<RunObservation> observations = new ArrayList<>();
    List<String> toList = new ArrayList<>();
    for (RunRef ref : byRunId.values()) {
      JsonNode streamed = watch.current(ref.runId());
      if (streamed != null) {
        observations.add(ArgoWorkflows.observation(ref, hydrated(streamed)));
      } else {
        toList.add(ref.runId());
      }
    }
    for (int from = 0; from < toList.size(); from += SELECTOR_CHUNK) {
      List<String> chunk = toList.subList(from, Math.min(toList.size(), from + SELECTOR_CHUNK));
      String selector = ArgoNames.RUN_ID_LABEL + " in (" + String.join(",", chunk) + ")";
      String next = null;
      do {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("listOptions.labelSelector", selector);
        query.put("listOptions.limit", "100");
        if (next != null) {
          query.put("listOptions.continue", next);
        }
        query.put("fields", LIST_FIELDS);
        JsonNode page = http.expect("GET", API + "/workflows/" + namespace, query, null);
        String listVersion = page.path("metadata").path("resourceVersion").asText("");
        for (JsonNode workflow : page.path("items")) {
          String runId =
              workflow.path("metadata").path("labels").path(ArgoNames.RUN_ID_LABEL).asText();
          RunRef ref = byRunId.get(runId);
          if (ref != null) {
            watch.listed(runId, workflow, listVersion);
            observations.add(ArgoWorkflows.observation(ref, hydrated(workflow)));
          }
        }
        next = page.path("metadata").path("continue").asText("");
      } while (!next.isEmpty());
    }
    return observations;
  }

  /**
   * A workflow with its node statuses: when the controller offloaded them (a large workflow, {@code
   * status.offloadNodeStatusVersion}), lists and events leave them out and a GET of the workflow
   * brings them back.
   */
  private JsonNode hydrated(JsonNode workflow) throws AdapterException {
    JsonNode status = workflow.path("status");
    if (status.path("offloadNodeStatusVersion").asText("").isEmpty()
        || !status.path("nodes").isEmpty()) {
      return workflow;
    }
    JsonNode full = findWorkflow(workflow.path("metadata").path("name").asText());
    return full == null ? workflow : full;
  }

  private JsonNode findWorkflow(String name) throws AdapterException {
    EngineClient.Answer answer =
        http.send("GET", API + "/workflows/" + namespace + "/" + name, Map.of(), null);
    if (answer.status() == 404) {
      return null;
    }
    if (!answer.ok()) {
      throw http.failure("reading " + name, answer);
    }
    return answer.body();
  }

  // --- actions -------------------------------------------------------------------------------

  /** {@code stop} runs exit handlers; {@code force} terminates at once. */
  @Override
  public void cancel(RunRef ref, boolean force) throws AdapterException {
    String name = ArgoNames.workflowName(ref.runId());
    JsonNode workflow = findWorkflow(name);
    if (workflow == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Argo has no workflow " + name);
    }
    if (ArgoWorkflows.observation(ref, workflow).state().isSettled()) {
      return;
    }
    ObjectNode body = ArgoHttp.JSON.createObjectNode();
    body.put("name", name);
    body.put("namespace", namespace);
    if (!force) {
      body.put("message", "Canceled through the Kaapana Workflow API");
    }
    EngineClient.Answer answer =
        http.send(
            "PUT",
            API + "/workflows/" + namespace + "/" + name + (force ? "/terminate" : "/stop"),
            Map.of(),
            body);
    // The workflow ended between the read and the stop: argo-server (v3.7.18) answers 500,
    // "cannot shutdown a completed workflow". Nothing is left to cancel.
    if (!answer.ok()
        && !(answer.status() == 500
            && ArgoHttp.message(answer).startsWith("cannot shutdown a completed workflow"))) {
      throw http.failure("canceling " + name, answer);
    }
  }

  @Override
  public int retry(RunSpec run, RetryScope scope) throws AdapterException {
    return retry(run, scope == RetryScope.ALL, null);
  }

  /** Argo re-runs a succeeded node only with {@code restartSuccessful} and a selector for it. */
  @Override
  public int retryTask(RunSpec run, String taskTitle) throws AdapterException {
    return retry(run, true, taskTitle);
  }

  /**
   * Argo's {@code retry}, with the attempts of the tasks it re-runs recorded in the workflow's
   * {@value ArgoWorkflows#ATTEMPTS_PARAMETER} parameter (Argo deletes their nodes and numbers the
   * new pods from scratch). A workflow that runs again already took an earlier retry request.
   */
  private int retry(RunSpec run, boolean restartSuccessful, String taskTitle)
      throws AdapterException {
    String name = ArgoNames.workflowName(run.runId());
    JsonNode workflow = findWorkflow(name);
    if (workflow == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Argo has no workflow " + name);
    }
    RunObservation before = ArgoWorkflows.observation(run.ref(), workflow);
    if (!before.state().isSettled()) {
      return run.ref().attempt() + 1;
    }
    Map<String, Integer> attempts = new LinkedHashMap<>(ArgoWorkflows.attemptOffsets(workflow));
    Map<String, Integer> seen = new HashMap<>();
    before.tasks().forEach(task -> seen.merge(task.taskTitle(), task.attempt(), Math::max));
    run.knownTaskRuns().forEach(task -> seen.merge(task.taskTitle(), task.attempt(), Math::max));
    for (String title : ArgoWorkflows.tasksARetryReruns(workflow, restartSuccessful, taskTitle)) {
      attempts.put(title, seen.getOrDefault(title, attempts.getOrDefault(title, 0)));
    }
    ObjectNode body = ArgoHttp.JSON.createObjectNode();
    body.put("name", name);
    body.put("namespace", namespace);
    body.put("restartSuccessful", restartSuccessful);
    if (taskTitle != null) {
      body.put("nodeFieldSelector", "displayName=" + taskTitle);
    }
    body.putArray("parameters")
        .add(ArgoWorkflows.ATTEMPTS_PARAMETER + "=" + ArgoHttp.JSON.valueToTree(attempts));
    http.expect("PUT", API + "/workflows/" + namespace + "/" + name + "/retry", Map.of(), body);
    return run.ref().attempt() + 1;
  }

  /** WorkflowTemplates of an archived workflow are deleted: no new run can use them. */
  @Override
  public void retire(String workflowId, List<String> engineRefs) throws AdapterException {
    for (String template : engineRefs) {
      EngineClient.Answer answer =
          http.send(
              "DELETE", API + "/workflow-templates/" + namespace + "/" + template, Map.of(), null);
      if (!answer.ok() && answer.status() != 404) {
        throw http.failure("deleting " + template, answer);
      }
    }
  }

  // --- logs ----------------------------------------------------------------------------------

  /**
   * The lines of one attempt: the pod's log while the pod exists ({@code main} container, with
   * timestamps), else the archived {@code main-logs} artifact. The cursor counts lines handed out.
   */
  @Override
  public LogPage readLogs(LogQuery query) throws AdapterException {
    String name = ArgoNames.workflowName(query.run().runId());
    int skip = PodLogs.decodeCursor(query.cursor(), query.attempt());
    JsonNode workflow = findWorkflow(name);
    if (workflow == null) {
      throw new AdapterException(ErrorCode.NOT_FOUND, "Argo has no workflow " + name);
    }
    JsonNode node = ArgoWorkflows.attemptNode(workflow, query.taskTitle(), query.attempt());
    if (node == null) {
      int rerunFrom = ArgoWorkflows.attemptOffsets(workflow).getOrDefault(query.taskTitle(), 0);
      throw new AdapterException(
          ErrorCode.NOT_FOUND,
          query.attempt() <= rerunFrom
              ? "attempt "
                  + query.attempt()
                  + " of task "
                  + query.taskTitle()
                  + " is gone from Argo: its retry replaced the attempt's node and pod"
              : "task " + query.taskTitle() + " has no attempt " + query.attempt() + " (yet)");
    }
    boolean finished = ArgoStates.taskState(node.path("phase").asText(""), false).isSettled();
    String pod =
        ArgoNames.podName(name, node.path("templateName").asText(), node.path("name").asText());
    List<LogPage.LogLine> lines = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("podName", pod);
    params.put("logOptions.container", "main");
    params.put("logOptions.timestamps", "true");
    try {
      http.stream(
          API + "/workflows/" + namespace + "/" + name + "/log",
          params,
          http.requestTimeout(),
          entry -> {
            JsonNode result = entry.path("result");
            if (result.has("content")) {
              lines.add(PodLogs.line(result.path("content").asText(), pod));
            }
            return false;
          });
    } catch (AdapterException e) {
      if (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.REJECTED) {
        throw e;
      }
      lines.clear();
    }
    if (lines.isEmpty() && finished && hasLogArtifact(node)) {
      // The pod is gone (argo-server then streams nothing): Argo archived its log as an artifact.
      lines.addAll(
          PodLogs.lines(
              http.text(
                  "/artifacts/"
                      + namespace
                      + "/"
                      + name
                      + "/"
                      + node.path("id").asText()
                      + "/"
                      + LOG_ARTIFACT),
              pod));
    }
    int from = Math.min(skip, lines.size());
    int to = Math.min(lines.size(), from + query.limit());
    return new LogPage(
        lines.subList(from, to),
        PodLogs.encodeCursor(query.attempt(), to),
        finished && to == lines.size());
  }

  private static boolean hasLogArtifact(JsonNode node) {
    for (JsonNode artifact : node.path("outputs").path("artifacts")) {
      if (LOG_ARTIFACT.equals(artifact.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  /** argo-server's follow stream would hold a connection per reader: this asks again instead. */
  @Override
  public LogPage followLogs(LogQuery query, Duration maxWait) throws AdapterException {
    return LogPolling.follow(this::readLogs, query, maxWait, Duration.ofMillis(500));
  }

  @Override
  public void close() {
    watch.close();
  }
}
