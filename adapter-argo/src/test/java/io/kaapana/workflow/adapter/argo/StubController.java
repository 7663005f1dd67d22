package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated cluster behind {@link ArgoServerStub}: WorkflowTemplates, Workflows, and a
 * controller that advances them every 100 ms the way Argo's does.
 *
 * <ul>
 *   <li>Submit from a WorkflowTemplate: the template's spec is stored in the workflow's status
 *       ({@code storedWorkflowTemplateSpec}), submit parameters override the template's arguments,
 *       the name is taken as given (409 when it exists).
 *   <li>Pods: a container's {@code command} + {@code args} (or a script's {@code source} run by its
 *       {@code command}) runs as a local process in a directory of its own; the image is ignored.
 *       Argo's {@code {{workflow.parameters.x}}}, {@code {{inputs.parameters.x}}}, {@code
 *       {{workflow.name}}} and {@code {{retries}}} are replaced. Exit 0 is Succeeded, else Failed
 *       with Argo's "main: Error (exit code n)". Pod names follow Argo's naming v2, node ids Argo's
 *       {@code <workflow>-<fnv32a of the node name>}.
 *   <li>DAG tasks start when every task they depend on succeeded; a task below a failed one gets a
 *       node of type {@code Skipped} in phase {@code Omitted} ("omitted: depends condition not
 *       met"), and a failed DAG leaves the workflow without a message. Step groups run in order,
 *       the steps of a group together; a failed step ends the workflow with "child '<node id>'
 *       failed" and the later groups get no node. A template's {@code retryStrategy.limit} gives a
 *       {@code Retry} node whose children are the attempts.
 *   <li>{@code stop} kills the running pods and runs the exit handler ({@code spec.onExit}); {@code
 *       terminate} kills them and skips it. The workflow ends Failed with "Stopped with strategy
 *       '…'" and keeps {@code spec.shutdown}.
 *   <li>{@code retry} (of a Failed/Error workflow, or a Succeeded one with {@code
 *       restartSuccessful} and a {@code nodeFieldSelector}; otherwise 400 with Argo's words):
 *       deletes the failed and omitted nodes (a retried task's whole {@code Retry} node) and their
 *       pods, with {@code restartSuccessful} also the selected succeeded nodes ({@code
 *       nodeFieldSelector} on {@code displayName}, all without one) and the nodes below them; the
 *       parameters override the workflow's arguments; the controller then re-creates the deleted
 *       nodes under the same ids and pod names.
 *   <li>Logs: each pod's output with RFC 3339 timestamps, streamed (and followed) while the pod
 *       exists; pods are deleted {@code podGcAfter} after their workflow ended, and then the log
 *       stream is empty and the {@code main-logs} artifact (archived when the pod ended) serves.
 *   <li>Every change bumps one resource version and is kept as a watch event; a watch from a
 *       version older than the kept history is refused as argo-server v3.7.18 refuses it (400, gRPC
 *       code 3, "too old resource version"). Lists page with {@code continue}; {@code fields}
 *       projections apply to lists and events; above {@code offloadNodesAbove} nodes a workflow's
 *       node statuses are left out of lists and events with {@code offloadNodeStatusVersion} set,
 *       and only a GET brings them back.
 * </ul>
 */
final class StubController implements AutoCloseable {

  /** A grpc-gateway error answer. */
  static final class ApiError extends RuntimeException {
    final int status;
    final int code;

    ApiError(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  static ApiError notFound(String resource, String name) {
    return new ApiError(404, 5, resource + ".argoproj.io \"" + name + "\" not found");
  }

  /** Something that takes stream lines; false when its client went away. */
  interface Sink {
    boolean accept(JsonNode line);
  }

  private record Event(long version, String type, String namespace, JsonNode workflow) {}

  private static final class Pod {
    final String name;
    final Path log;
    Process process;
    boolean deleted;

    Pod(String name, Path log) {
      this.name = name;
      this.log = log;
    }
  }

  private static final class Run {
    final String namespace;
    final ObjectNode workflow;
    final Map<String, Pod> pods = new HashMap<>();
    final Set<String> exitHandlerStarted = new HashSet<>();
    Instant endedAt;

    Run(String namespace, ObjectNode workflow) {
      this.namespace = namespace;
      this.workflow = workflow;
    }

    String name() {
      return workflow.path("metadata").path("name").asText();
    }

    ObjectNode status() {
      return (ObjectNode) workflow.get("status");
    }

    ObjectNode nodes() {
      return status().withObject("/nodes");
    }

    JsonNode spec() {
      return status().path("storedWorkflowTemplateSpec");
    }
  }

  private final Path directory;
  private final ArgoServerStub.Options options;
  private final java.util.function.Consumer<String> problems;
  private final Map<String, ObjectNode> templates = new TreeMap<>();
  private final Map<String, Run> runs = new TreeMap<>();
  private final ArrayDeque<Event> history = new ArrayDeque<>();
  private final List<BlockingQueue<Event>> watchers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private long resourceVersion = 1000;
  private long compactedThrough = 0;
  private volatile boolean closed;

  StubController(
      Path directory,
      ArgoServerStub.Options options,
      java.util.function.Consumer<String> problems) {
    this.directory = directory;
    this.options = options;
    this.problems = problems;
    ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  // --- WorkflowTemplates ---------------------------------------------------------------------

  synchronized JsonNode lintTemplate(String namespace, JsonNode template) {
    List<String> problems = lint(template.path("spec"));
    if (!problems.isEmpty()) {
      throw new ApiError(400, 3, String.join("; ", problems));
    }
    return template;
  }

  synchronized JsonNode createTemplate(String namespace, JsonNode template) {
    lintTemplate(namespace, template);
    String name = template.path("metadata").path("name").asText();
    if (templates.containsKey(namespace + "/" + name)) {
      throw new ApiError(409, 6, "workflowtemplates.argoproj.io \"" + name + "\" already exists");
    }
    ObjectNode stored = template.deepCopy();
    ObjectNode metadata = stored.withObject("/metadata");
    metadata.put("namespace", namespace);
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now());
    metadata.put("resourceVersion", String.valueOf(++resourceVersion));
    templates.put(namespace + "/" + name, stored);
    return stored;
  }

  synchronized JsonNode template(String namespace, String name) {
    ObjectNode template = templates.get(namespace + "/" + name);
    if (template == null) {
      throw notFound("workflowtemplates", name);
    }
    return template;
  }

  synchronized JsonNode updateTemplate(String namespace, String name, JsonNode template) {
    ObjectNode current = (ObjectNode) template(namespace, name);
    lintTemplate(namespace, template);
    String expected = current.path("metadata").path("resourceVersion").asText();
    if (!expected.equals(template.path("metadata").path("resourceVersion").asText())) {
      throw new ApiError(
          409,
          10,
          "Operation cannot be fulfilled on workflowtemplates.argoproj.io \""
              + name
              + "\": the object has been modified");
    }
    current.set("spec", template.path("spec").deepCopy());
    ((ObjectNode) current.get("metadata"))
        .put("resourceVersion", String.valueOf(++resourceVersion));
    return current;
  }

  synchronized void deleteTemplate(String namespace, String name) {
    if (templates.remove(namespace + "/" + name) == null) {
      throw notFound("workflowtemplates", name);
    }
  }

  synchronized List<String> templateNames(String namespace) {
    List<String> names = new ArrayList<>();
    templates.forEach(
        (key, template) -> {
          if (key.startsWith(namespace + "/")) {
            names.add(template.path("metadata").path("name").asText());
          }
        });
    return names;
  }

  /** What Argo's linter would say, in short: references, images, dependencies. */
  private static List<String> lint(JsonNode spec) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> byName = new HashMap<>();
    spec.path("templates").forEach(t -> byName.put(t.path("name").asText(), t));
    String entrypoint = spec.path("entrypoint").asText("");
    if (entrypoint.isEmpty()) {
      problems.add("spec.entrypoint is required");
    } else if (!byName.containsKey(entrypoint)) {
      problems.add("template name '" + entrypoint + "' undefined");
    }
    for (JsonNode template : spec.path("templates")) {
      String name = template.path("name").asText();
      if ((template.has("container") || template.has("script"))
          && template
              .path(template.has("container") ? "container" : "script")
              .path("image")
              .asText("")
              .isEmpty()) {
        problems.add("templates." + name + ".container.image may not be empty");
      }
      Set<String> tasks = new HashSet<>();
      template.path("dag").path("tasks").forEach(t -> tasks.add(t.path("name").asText()));
      for (JsonNode task : template.path("dag").path("tasks")) {
        if (task.has("templateRef")) {
          problems.add(
              "the stub does not resolve templateRef (task " + task.path("name").asText() + ")");
          continue;
        }
        String ref = task.path("template").asText();
        if (!byName.containsKey(ref)) {
          problems.add(
              "templates."
                  + name
                  + ".tasks."
                  + task.path("name").asText()
                  + " template name '"
                  + ref
                  + "' undefined");
        }
        for (JsonNode dependency : task.path("dependencies")) {
          if (!tasks.contains(dependency.asText())) {
            problems.add(
                "templates."
                    + name
                    + ".tasks."
                    + task.path("name").asText()
                    + " dependency '"
                    + dependency.asText()
                    + "' not defined");
          }
        }
      }
      for (JsonNode group : template.path("steps")) {
        for (JsonNode step : group) {
          if (!byName.containsKey(step.path("template").asText())) {
            problems.add(
                "templates."
                    + name
                    + ".steps."
                    + step.path("name").asText()
                    + " template name '"
                    + step.path("template").asText()
                    + "' undefined");
          }
        }
      }
    }
    return problems;
  }

  // --- Workflows -----------------------------------------------------------------------------

  synchronized JsonNode submit(String namespace, JsonNode request) {
    if (!"WorkflowTemplate".equals(request.path("resourceKind").asText())) {
      throw new ApiError(400, 3, "resourceKind must be WorkflowTemplate here");
    }
    JsonNode template = template(namespace, request.path("resourceName").asText());
    JsonNode options = request.path("submitOptions");
    String name = options.path("name").asText("");
    if (name.isEmpty()) {
      throw new ApiError(400, 3, "the stub needs submitOptions.name");
    }
    if (runs.containsKey(namespace + "/" + name)) {
      throw new ApiError(
          409,
          6,
          "workflows.argoproj.io \""
              + name
              + "\" already exists, the server was not able to generate a unique name for the"
              + " object");
    }
    ObjectNode workflow = ArgoHttp.JSON.createObjectNode();
    workflow.put("apiVersion", "argoproj.io/v1alpha1");
    workflow.put("kind", "Workflow");
    ObjectNode metadata = workflow.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now());
    ObjectNode labels = metadata.putObject("labels");
    for (String pair : options.path("labels").asText("").split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        labels.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    labels.put(
        "workflows.argoproj.io/workflow-template", template.path("metadata").path("name").asText());
    ObjectNode spec = workflow.putObject("spec");
    spec.putObject("workflowTemplateRef")
        .put("name", template.path("metadata").path("name").asText());
    Map<String, String> parameters = new LinkedHashMap<>();
    for (JsonNode parameter : template.path("spec").path("arguments").path("parameters")) {
      JsonNode value = parameter.has("value") ? parameter.path("value") : parameter.path("default");
      parameters.put(
          parameter.path("name").asText(), value.isMissingNode() ? null : value.asText());
    }
    for (JsonNode pair : options.path("parameters")) {
      String text = pair.asText();
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new ApiError(400, 3, "expected parameter of the form: NAME=VALUE. Received: " + text);
      }
      parameters.put(text.substring(0, eq), text.substring(eq + 1));
    }
    ArrayNode arguments = spec.putObject("arguments").putArray("parameters");
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      if (parameter.getValue() == null) {
        throw new ApiError(400, 3, "spec.arguments." + parameter.getKey() + ".value is required");
      }
      arguments.addObject().put("name", parameter.getKey()).put("value", parameter.getValue());
    }
    if (options.has("serviceAccount")) {
      spec.put("serviceAccountName", options.path("serviceAccount").asText());
    }
    ObjectNode status = workflow.putObject("status");
    status.set("storedWorkflowTemplateSpec", template.path("spec").deepCopy());
    Run run = new Run(namespace, workflow);
    runs.put(namespace + "/" + name, run);
    changed(run, "ADDED");
    return copyForClient(run, true);
  }

  synchronized JsonNode workflow(String namespace, String name, boolean hydrated) {
    Run run = runs.get(namespace + "/" + name);
    return run == null ? null : copyForClient(run, hydrated);
  }

  synchronized JsonNode list(
      String namespace, String selector, String limit, String continueToken, String fields) {
    Predicate<JsonNode> selected = LabelSelector.parse(selector);
    List<Run> matching = new ArrayList<>();
    for (Run run : runs.values()) {
      if (run.namespace.equals(namespace)
          && selected.test(run.workflow.path("metadata").path("labels"))) {
        matching.add(run);
      }
    }
    int from = 0;
    if (continueToken != null && !continueToken.isEmpty()) {
      try {
        from =
            Integer.parseInt(
                new String(Base64.getDecoder().decode(continueToken), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, 3, "continue key is not valid");
      }
    }
    int size = limit == null || limit.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(limit);
    int to = (int) Math.min(matching.size(), (long) from + size);
    ObjectNode list = ArgoHttp.JSON.createObjectNode();
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", String.valueOf(resourceVersion));
    if (to < matching.size()) {
      metadata.put(
          "continue",
          Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
    }
    ArrayNode items = list.putArray("items");
    for (Run run : matching.subList(Math.min(from, matching.size()), to)) {
      items.add(copyForClient(run, false));
    }
    return Fields.project(list, fields, "");
  }

  synchronized JsonNode shutdown(String namespace, String name, String strategy) {
    Run run = runs.get(namespace + "/" + name);
    if (run == null) {
      throw notFound("workflows", name);
    }
    if (run.endedAt != null || options.shutdownFindsItEnded()) {
      // As argo-server v3.7.18 answers (seen against the real server): 500, gRPC code 13.
      throw new ApiError(
          500,
          13,
          "cannot shutdown a completed workflow: workflow: \""
              + name
              + "\", namespace: \""
              + namespace
              + "\"");
    }
    ((ObjectNode) run.workflow.get("spec")).put("shutdown", strategy);
    for (JsonNode node : run.nodes()) {
      if ("Running".equals(node.path("phase").asText())
          && "Pod".equals(node.path("type").asText())
          && !isExitHandler(run, node)) {
        kill(run, (ObjectNode) node, "Stopped with strategy '" + strategy + "'");
      }
    }
    changed(run, "MODIFIED");
    return copyForClient(run, true);
  }

  synchronized JsonNode retry(String namespace, String name, JsonNode request) {
    Run run = runs.get(namespace + "/" + name);
    if (run == null) {
      throw notFound("workflows", name);
    }
    String phase = run.status().path("phase").asText();
    boolean restartSuccessful = request.path("restartSuccessful").asBoolean(false);
    String selector = request.path("nodeFieldSelector").asText("");
    // As argo-server v3.7.18 decides (FormulateRetryWorkflow), with its words.
    if (phase.equals("Succeeded") && (!restartSuccessful || selector.isEmpty())) {
      throw new ApiError(
          400,
          3,
          "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector");
    } else if (!phase.equals("Failed") && !phase.equals("Error") && !phase.equals("Succeeded")) {
      throw new ApiError(400, 3, "Cannot retry a workflow in phase " + phase);
    }
    ObjectNode nodes = run.nodes();
    Set<String> reset = new HashSet<>();
    for (JsonNode node : nodes) {
      String nodePhase = node.path("phase").asText();
      boolean failed = nodePhase.equals("Failed") || nodePhase.equals("Error");
      boolean selected =
          restartSuccessful
              && (selector.isEmpty()
                  || selector.equals("displayName=" + node.path("displayName").asText()));
      // Omitted nodes go too: the controller decides again once their dependencies ran.
      if (isWork(node) && (failed || selected) || nodePhase.equals("Omitted")) {
        reset.add(node.path("id").asText());
        if (selected) {
          ArrayDeque<String> below = new ArrayDeque<>();
          node.path("children").forEach(child -> below.add(child.asText()));
          while (!below.isEmpty()) {
            String id = below.poll();
            if (reset.add(id)) {
              nodes.path(id).path("children").forEach(child -> below.add(child.asText()));
            }
          }
        }
      }
      if (isExitHandler(run, node)) {
        reset.add(node.path("id").asText());
      }
    }
    // A task with attempts starts over: its Retry node goes with the attempts.
    for (JsonNode node : nodes) {
      if ("Retry".equals(node.path("type").asText())) {
        for (JsonNode child : node.path("children")) {
          if (reset.contains(child.asText())) {
            reset.add(node.path("id").asText());
            node.path("children").forEach(c -> reset.add(c.asText()));
          }
        }
      }
    }
    for (String id : reset) {
      JsonNode node = nodes.path(id);
      Pod pod = run.pods.remove(podName(run, node));
      if (pod != null) {
        pod.deleted = true;
      }
      nodes.remove(id);
    }
    for (JsonNode node : nodes) {
      ArrayNode children = ((ObjectNode) node).withArray("/children");
      for (int i = children.size() - 1; i >= 0; i--) {
        if (reset.contains(children.get(i).asText())) {
          children.remove(i);
        }
      }
      if (!isWork(node) && !"Succeeded".equals(node.path("phase").asText())) {
        ((ObjectNode) node).put("phase", "Running");
        ((ObjectNode) node).remove(List.of("finishedAt", "message"));
      }
    }
    ArrayNode arguments =
        ((ObjectNode) run.workflow.get("spec")).withObject("/arguments").withArray("/parameters");
    for (JsonNode pair : request.path("parameters")) {
      String text = pair.asText();
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new ApiError(400, 3, "expected parameter of the form: NAME=VALUE. Received: " + text);
      }
      boolean replaced = false;
      for (JsonNode parameter : arguments) {
        if (parameter.path("name").asText().equals(text.substring(0, eq))) {
          ((ObjectNode) parameter).put("value", text.substring(eq + 1));
          replaced = true;
        }
      }
      if (!replaced) {
        arguments
            .addObject()
            .put("name", text.substring(0, eq))
            .put("value", text.substring(eq + 1));
      }
    }
    ((ObjectNode) run.workflow.get("spec")).remove("shutdown");
    run.status().put("phase", "Running");
    run.status().put("startedAt", now());
    run.status().remove(List.of("finishedAt", "message"));
    ((ObjectNode) run.workflow.get("metadata").get("labels"))
        .remove("workflows.argoproj.io/completed");
    run.endedAt = null;
    run.exitHandlerStarted.clear();
    changed(run, "MODIFIED");
    return copyForClient(run, true);
  }

  // --- logs and artifacts --------------------------------------------------------------------

  /** Streams a pod's timestamped lines; follows while the pod runs when asked to. */
  void streamLog(String namespace, String podName, boolean follow, Predicate<String> sink)
      throws IOException {
    Pod pod;
    synchronized (this) {
      pod = null;
      for (Run run : runs.values()) {
        if (run.namespace.equals(namespace) && run.pods.containsKey(podName)) {
          pod = run.pods.get(podName);
        }
      }
    }
    if (pod == null || pod.deleted) {
      return; // argo-server streams nothing for a pod that is gone
    }
    long sent = 0;
    while (true) {
      boolean running;
      synchronized (this) {
        running = pod.process != null && pod.process.isAlive() && !pod.deleted;
      }
      List<String> lines = Files.exists(pod.log) ? Files.readAllLines(pod.log) : List.of();
      for (long i = sent; i < lines.size(); i++) {
        if (!sink.test(lines.get((int) i))) {
          return;
        }
      }
      sent = lines.size();
      if (!follow || !running || closed) {
        return;
      }
      sleep(100);
    }
  }

  synchronized String artifact(String namespace, String name, String nodeId, String artifact) {
    Run run = runs.get(namespace + "/" + name);
    if (run == null) {
      throw notFound("workflows", name);
    }
    JsonNode node = run.nodes().path(nodeId);
    if (node.isMissingNode() || !"main-logs".equals(artifact)) {
      throw new ApiError(404, 5, "artifact not found");
    }
    Path archived = directory.resolve("artifacts").resolve(name).resolve(nodeId + ".log");
    try {
      return Files.readString(archived);
    } catch (IOException e) {
      throw new ApiError(404, 5, "artifact not found");
    }
  }

  // --- watch ---------------------------------------------------------------------------------

  void watch(
      String namespace,
      String selector,
      String fromVersion,
      Duration timeout,
      boolean bookmarks,
      String fields,
      Sink sink) {
    Predicate<JsonNode> selected = LabelSelector.parse(selector);
    BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    List<Event> replay = new ArrayList<>();
    synchronized (this) {
      long from = fromVersion == null || fromVersion.isEmpty() ? -1 : Long.parseLong(fromVersion);
      String tooOld = tooOldVersion(fromVersion);
      if (tooOld != null) {
        // Compacted between the HTTP layer's check and here: the error as a line of the stream.
        sink.accept(streamError(tooOld));
        return;
      }
      if (from < 0) {
        for (Run run : runs.values()) {
          replay.add(new Event(resourceVersion, "ADDED", run.namespace, copyForClient(run, false)));
        }
      } else {
        for (Event event : history) {
          if (event.version() > from) {
            replay.add(event);
          }
        }
      }
      watchers.add(queue);
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      ArrayDeque<Event> pending = new ArrayDeque<>(replay);
      long reached = fromVersion == null || fromVersion.isEmpty() ? 0 : Long.parseLong(fromVersion);
      // (the version of the last event this stream went through)
      while (!closed) {
        Event event = pending.poll();
        if (event == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            if (bookmarks && reached > 0) {
              sink.accept(Fields.project(bookmark(reached), fields, ""));
            }
            return;
          }
          event =
              queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
          if (event == null) {
            continue;
          }
        }
        if (event.type().equals("DROP")) {
          return;
        }
        reached = event.version();
        if (!event.namespace().equals(namespace)
            || !selected.test(event.workflow().path("metadata").path("labels"))) {
          continue;
        }
        ObjectNode line = ArgoHttp.JSON.createObjectNode();
        ObjectNode result = line.putObject("result");
        result.put("type", event.type());
        result.set("object", event.workflow());
        if (!sink.accept(Fields.project(line, fields, ""))) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watchers.remove(queue);
    }
  }

  /** Why a stream cannot resume from that resource version (compacted away), or null. */
  synchronized String tooOldVersion(String fromVersion) {
    long from = fromVersion == null || fromVersion.isEmpty() ? -1 : Long.parseLong(fromVersion);
    long oldest = history.isEmpty() ? resourceVersion : history.peekFirst().version() - 1;
    if (from >= 0 && (from < compactedThrough || from < oldest && !history.isEmpty())) {
      return "too old resource version: " + from + " (" + Math.max(oldest, compactedThrough) + ")";
    }
    return null;
  }

  /**
   * A stream's error as argo-server v3.7.18 writes it (seen against the real server): a forgotten
   * resource version is InvalidArgument (gRPC 3, HTTP 400), not Kubernetes' 410 Gone.
   */
  static JsonNode streamError(String message) {
    ObjectNode error = ArgoHttp.JSON.createObjectNode();
    ObjectNode detail = error.putObject("error");
    detail.put("grpc_code", 3);
    detail.put("http_code", 400);
    detail.put("message", message);
    detail.put("http_status", "Bad Request");
    return error;
  }

  /** Kubernetes' BOOKMARK: no change, only the resource version the stream has reached. */
  private static JsonNode bookmark(long version) {
    ObjectNode line = ArgoHttp.JSON.createObjectNode();
    ObjectNode result = line.putObject("result");
    result.put("type", "BOOKMARK");
    ObjectNode object = result.putObject("object");
    object.putObject("metadata").put("resourceVersion", String.valueOf(version));
    object.putObject("spec");
    return line;
  }

  void compactEvents() {
    synchronized (this) {
      history.clear();
      resourceVersion++; // a change the open streams will not have seen
      compactedThrough = resourceVersion;
    }
    dropStreams();
  }

  void dropStreams() {
    watchers.forEach(queue -> queue.add(new Event(0, "DROP", "", null)));
  }

  // --- the controller ------------------------------------------------------------------------

  private void tick() {
    try {
      synchronized (this) {
        for (Run run : runs.values()) {
          JsonNode before = run.workflow.deepCopy();
          advance(run);
          if (!before.equals(run.workflow)) {
            changed(run, "MODIFIED");
          }
          collectPods(run);
        }
      }
    } catch (RuntimeException e) {
      // The simulation itself is wrong: that fails the test like a departure from the API.
      StackTraceElement[] where = e.getStackTrace();
      problems.accept(
          "the stub's controller failed: " + e + (where.length > 0 ? " at " + where[0] : ""));
    }
  }

  private void advance(Run run) {
    ObjectNode status = run.status();
    if (run.endedAt != null) {
      return;
    }
    if (status.path("phase").asText("").isEmpty()) {
      status.put("phase", "Running");
      status.put("startedAt", now());
    }
    JsonNode spec = run.spec();
    String entrypoint = spec.path("entrypoint").asText();
    JsonNode entry = templateNamed(spec, entrypoint);
    boolean shutdown = run.workflow.path("spec").has("shutdown");
    ObjectNode nodes = run.nodes();
    finishExitedPods(run);
    if (entry.has("dag") || entry.has("steps")) {
      ObjectNode root =
          ensureNode(
              run, run.name(), run.name(), entry.has("dag") ? "DAG" : "Steps", entrypoint, null);
      if (!shutdown) {
        if (entry.has("dag")) {
          scheduleDag(run, entry, root);
        } else {
          scheduleSteps(run, entry, root);
        }
      }
    } else if (!nodes.has(run.name()) && !shutdown) {
      startWork(run, run.name(), run.name(), entrypoint, Map.of(), null);
    }
    if (anyRunning(run)) {
      return;
    }
    // Nothing runs: the main part is over; the exit handler runs unless terminated.
    String onExit = spec.path("onExit").asText("");
    boolean terminated = "Terminate".equals(run.workflow.path("spec").path("shutdown").asText());
    if (!onExit.isEmpty() && !terminated && run.exitHandlerStarted.add(onExit)) {
      startWork(run, run.name() + ".onExit", run.name() + ".onExit", onExit, Map.of(), null);
      return;
    }
    String failedChild = null;
    for (JsonNode node : nodes) {
      String phase = node.path("phase").asText();
      if (isWork(node)
          && !isExitHandler(run, node)
          && (phase.equals("Failed") || phase.equals("Error"))
          && !retriedLater(run, node)) {
        failedChild = taskNodeId(run, node); // Argo names the child by its node id
      }
    }
    boolean incomplete = shutdown || failedChild != null || !allTasksSucceeded(run, entry);
    String finished = now();
    for (JsonNode node : nodes) {
      if (!isWork(node) && node.path("phase").asText().equals("Running")) {
        ((ObjectNode) node).put("phase", incomplete ? "Failed" : "Succeeded");
        ((ObjectNode) node).put("finishedAt", finished);
        if (failedChild != null && entry.has("steps") && !shutdown) {
          ((ObjectNode) node).put("message", "child '" + failedChild + "' failed");
        }
      }
    }
    status.put("phase", incomplete ? "Failed" : "Succeeded");
    if (shutdown) {
      status.put(
          "message",
          "Stopped with strategy '" + run.workflow.path("spec").path("shutdown").asText() + "'");
    } else if (failedChild != null && entry.has("steps")) {
      // Steps name the failed child; a failed DAG leaves the workflow without a message.
      status.put("message", "child '" + failedChild + "' failed");
    }
    status.put("finishedAt", finished);
    ((ObjectNode) run.workflow.path("metadata").path("labels"))
        .put("workflows.argoproj.io/completed", "true");
    run.endedAt = Instant.now();
  }

  private boolean allTasksSucceeded(Run run, JsonNode entry) {
    List<String> expected = new ArrayList<>();
    if (entry.has("dag")) {
      entry.path("dag").path("tasks").forEach(t -> expected.add(t.path("name").asText()));
    } else if (entry.has("steps")) {
      entry.path("steps").forEach(g -> g.forEach(s -> expected.add(s.path("name").asText())));
    } else {
      return "Succeeded".equals(run.nodes().path(run.name()).path("phase").asText());
    }
    for (String task : expected) {
      if (!"Succeeded".equals(taskPhase(run, task))) {
        return false;
      }
    }
    return true;
  }

  private void scheduleDag(Run run, JsonNode entry, ObjectNode root) {
    for (JsonNode task : entry.path("dag").path("tasks")) {
      String name = task.path("name").asText();
      if (taskPhase(run, name) != null) {
        continue;
      }
      List<String> dependencies = new ArrayList<>();
      task.path("dependencies").forEach(d -> dependencies.add(d.asText()));
      boolean ready = true;
      boolean omitted = false;
      for (String dependency : dependencies) {
        String phase = taskPhase(run, dependency);
        ready &= "Succeeded".equals(phase);
        omitted |= "Failed".equals(phase) || "Error".equals(phase) || "Omitted".equals(phase);
      }
      String nodeName = run.name() + "." + name;
      ObjectNode node;
      if (omitted) {
        // As the real controller does (dag.go): a task whose dependencies did not all succeed
        // gets a node of type Skipped in phase Omitted, below them; so does everything below it.
        node = ensureNode(run, nodeName, name, "Skipped", task.path("template").asText(), null);
        node.put("phase", "Omitted");
        node.put("message", "omitted: depends condition not met");
        node.put("finishedAt", now());
      } else if (ready) {
        node = startTask(run, nodeName, name, task);
      } else {
        continue;
      }
      if (dependencies.isEmpty()) {
        addChild(root, node);
      } else {
        for (String dependency : dependencies) {
          addChild(outbound(run, run.name() + "." + dependency), node);
        }
      }
    }
  }

  private void scheduleSteps(Run run, JsonNode entry, ObjectNode root) {
    JsonNode groups = entry.path("steps");
    ObjectNode previous = root;
    for (int i = 0; i < groups.size(); i++) {
      String groupName = run.name() + "[" + i + "]";
      ObjectNode group = (ObjectNode) run.nodes().get(nodeId(run, groupName));
      if (group == null) {
        group = ensureNode(run, groupName, "[" + i + "]", "StepGroup", null, null);
        addChild(previous, group);
        for (JsonNode step : groups.get(i)) {
          ObjectNode node =
              startTask(
                  run,
                  groupName + "." + step.path("name").asText(),
                  step.path("name").asText(),
                  step);
          addChild(group, node);
        }
        return;
      }
      boolean done = true;
      for (JsonNode step : groups.get(i)) {
        String phase = taskPhase(run, step.path("name").asText());
        if (!"Succeeded".equals(phase)) {
          done = false;
        }
      }
      if (!done) {
        return; // running, or failed: the later groups do not start
      }
      group.put("phase", "Succeeded");
      group.put("finishedAt", now());
      previous = group;
    }
  }

  /** A task's phase (its Retry node's when it has one), or null before it has a node. */
  private String taskPhase(Run run, String taskName) {
    for (JsonNode node : run.nodes()) {
      String nodeName = node.path("name").asText();
      if ((nodeName.endsWith("." + taskName)) && !nodeName.endsWith(".onExit")) {
        return node.path("phase").asText();
      }
    }
    return null;
  }

  /** The node a task's downstream hangs from: its last attempt, or the task's own node. */
  private ObjectNode outbound(Run run, String nodeName) {
    ObjectNode node = (ObjectNode) run.nodes().get(nodeId(run, nodeName));
    if (node != null
        && "Retry".equals(node.path("type").asText())
        && !node.path("children").isEmpty()) {
      JsonNode children = node.path("children");
      return (ObjectNode) run.nodes().get(children.get(children.size() - 1).asText());
    }
    return node;
  }

  private ObjectNode startTask(Run run, String nodeName, String displayName, JsonNode task) {
    String template = task.path("template").asText();
    Map<String, String> inputs = new LinkedHashMap<>();
    for (JsonNode parameter : task.path("arguments").path("parameters")) {
      inputs.put(
          parameter.path("name").asText(),
          substitute(run, parameter.path("value").asText(), Map.of(), 0));
    }
    JsonNode definition = templateNamed(run.spec(), template);
    if (definition.has("retryStrategy")) {
      ObjectNode retry = ensureNode(run, nodeName, displayName, "Retry", template, null);
      retry.put("phase", "Running");
      ObjectNode first =
          startWork(run, nodeName + "(0)", displayName + "(0)", template, inputs, null);
      addChild(retry, first);
      return retry;
    }
    return startWork(run, nodeName, displayName, template, inputs, null);
  }

  /** Starts a pod node: the template's command as a local process. */
  private ObjectNode startWork(
      Run run,
      String nodeName,
      String displayName,
      String template,
      Map<String, String> inputs,
      Integer retries) {
    ObjectNode node = ensureNode(run, nodeName, displayName, "Pod", template, inputs);
    JsonNode definition = templateNamed(run.spec(), template);
    int retryIndex = 0;
    Matcher attempt = Pattern.compile("\\((\\d+)\\)$").matcher(nodeName);
    if (attempt.find()) {
      retryIndex = Integer.parseInt(attempt.group(1));
    }
    List<String> command = new ArrayList<>();
    if (definition.has("script")) {
      definition.path("script").path("command").forEach(c -> command.add(c.asText()));
      if (command.isEmpty()) {
        command.add("sh");
      }
      command.add("-c");
      command.add(definition.path("script").path("source").asText());
    } else {
      definition.path("container").path("command").forEach(c -> command.add(c.asText()));
      definition.path("container").path("args").forEach(c -> command.add(c.asText()));
    }
    List<String> resolved = new ArrayList<>();
    for (String part : command) {
      resolved.add(substitute(run, part, inputs, retryIndex));
    }
    String podName = podName(run, node);
    Path podDirectory = directory.resolve("pods").resolve(podName);
    Pod pod = new Pod(podName, podDirectory.resolve("main.log"));
    run.pods.put(podName, pod);
    node.put("phase", "Running");
    node.put("startedAt", now());
    try {
      Files.createDirectories(podDirectory);
      Files.deleteIfExists(pod.log);
      Files.createFile(pod.log);
      if (resolved.isEmpty()) {
        throw new IOException("the template has no command");
      }
      pod.process =
          new ProcessBuilder(resolved)
              .directory(podDirectory.toFile())
              .redirectErrorStream(true)
              .start();
      Thread copier = new Thread(() -> copyOutput(pod), "pod-" + podName);
      copier.setDaemon(true);
      copier.start();
    } catch (IOException e) {
      node.put("phase", "Error");
      node.put("message", "failed to start: " + e.getMessage());
      node.put("finishedAt", now());
    }
    return node;
  }

  /** Writes the pod's output to its log with Kubernetes' timestamps. */
  private static void copyOutput(Pod pod) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(pod.process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Files.writeString(
            pod.log,
            Instant.now().truncatedTo(ChronoUnit.MICROS) + " " + line + "\n",
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      // the process was killed
    }
  }

  private void finishExitedPods(Run run) {
    List<JsonNode> nodes = new ArrayList<>();
    run.nodes().forEach(nodes::add); // a retry adds nodes while these are gone through
    for (JsonNode value : nodes) {
      ObjectNode node = (ObjectNode) value;
      if (!"Pod".equals(node.path("type").asText())
          || !"Running".equals(node.path("phase").asText())) {
        continue;
      }
      Pod pod = run.pods.get(podName(run, node));
      if (pod == null || pod.process == null || pod.process.isAlive()) {
        continue;
      }
      waitForOutput(pod);
      int exit = pod.process.exitValue();
      node.put("phase", exit == 0 ? "Succeeded" : "Failed");
      if (exit != 0) {
        node.put("message", "main: Error (exit code " + exit + ")");
      }
      node.put("finishedAt", now());
      archive(run, node, pod);
      retryIfAllowed(run, node);
    }
  }

  private void retryIfAllowed(Run run, ObjectNode attempt) {
    List<JsonNode> nodes = new ArrayList<>();
    run.nodes().forEach(nodes::add); // the next attempt is added while these are gone through
    for (JsonNode value : nodes) {
      if (!"Retry".equals(value.path("type").asText())) {
        continue;
      }
      ObjectNode retry = (ObjectNode) value;
      JsonNode children = retry.path("children");
      if (children.isEmpty()
          || !children.get(children.size() - 1).asText().equals(attempt.path("id").asText())) {
        continue;
      }
      int limit =
          templateNamed(run.spec(), retry.path("templateName").asText())
              .path("retryStrategy")
              .path("limit")
              .asInt(0);
      boolean shutdown = run.workflow.path("spec").has("shutdown");
      if ("Succeeded".equals(attempt.path("phase").asText())) {
        retry.put("phase", "Succeeded");
        retry.put("finishedAt", now());
      } else if (children.size() <= limit && !shutdown) {
        String base = retry.path("name").asText();
        ObjectNode next =
            startWork(
                run,
                base + "(" + children.size() + ")",
                retry.path("displayName").asText() + "(" + children.size() + ")",
                retry.path("templateName").asText(),
                inputsOf(attempt),
                null);
        addChild(retry, next);
      } else {
        retry.put("phase", "Failed");
        retry.put("message", attempt.path("message").asText("failed"));
        retry.put("finishedAt", now());
      }
    }
  }

  private static Map<String, String> inputsOf(JsonNode node) {
    Map<String, String> inputs = new LinkedHashMap<>();
    node.path("inputs")
        .path("parameters")
        .forEach(p -> inputs.put(p.path("name").asText(), p.path("value").asText()));
    return inputs;
  }

  private void kill(Run run, ObjectNode node, String message) {
    Pod pod = run.pods.get(podName(run, node));
    if (pod != null && pod.process != null) {
      pod.process.descendants().forEach(ProcessHandle::destroyForcibly);
      pod.process.destroyForcibly();
      try {
        pod.process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      waitForOutput(pod);
    }
    node.put("phase", "Failed");
    node.put("message", message);
    node.put("finishedAt", now());
    if (pod != null) {
      archive(run, node, pod);
    }
    for (JsonNode value : run.nodes()) {
      if ("Retry".equals(value.path("type").asText())
          && value.path("children").toString().contains("\"" + node.path("id").asText() + "\"")) {
        ((ObjectNode) value).put("phase", "Failed");
        ((ObjectNode) value).put("message", message);
        ((ObjectNode) value).put("finishedAt", now());
      }
    }
  }

  /** Argo's archiveLogs: the pod's log becomes the node's {@code main-logs} artifact. */
  private void archive(Run run, ObjectNode node, Pod pod) {
    if (!options.archiveLogs()) {
      return;
    }
    try {
      Path archived =
          directory
              .resolve("artifacts")
              .resolve(run.name())
              .resolve(node.path("id").asText() + ".log");
      Files.createDirectories(archived.getParent());
      Files.copy(pod.log, archived, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ObjectNode artifact = node.withObject("/outputs").withArray("/artifacts").addObject();
      artifact.put("name", "main-logs");
      artifact.putObject("s3").put("key", run.name() + "/" + pod.name + "/main.log");
    } catch (IOException e) {
      node.put("message", "failed to archive the log: " + e.getMessage());
    }
  }

  private static void waitForOutput(Pod pod) {
    // the copier thread drains the pipe; give it a moment after the process ended
    for (int i = 0; i < 20; i++) {
      try {
        if (pod.process.getInputStream().available() == 0) {
          break;
        }
      } catch (IOException e) {
        break;
      }
      sleep(10);
    }
    sleep(30);
  }

  private void collectPods(Run run) {
    if (run.endedAt == null
        || Duration.between(run.endedAt, Instant.now()).compareTo(options.podGcAfter()) < 0) {
      return;
    }
    run.pods.values().forEach(pod -> pod.deleted = true);
  }

  private boolean anyRunning(Run run) {
    for (JsonNode node : run.nodes()) {
      if (isWork(node) && "Running".equals(node.path("phase").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The id of the node that stands for a task: its Retry node's, else its own. */
  private static String taskNodeId(Run run, JsonNode node) {
    String id = node.path("id").asText();
    for (JsonNode candidate : run.nodes()) {
      if ("Retry".equals(candidate.path("type").asText())) {
        for (JsonNode child : candidate.path("children")) {
          if (child.asText().equals(id)) {
            return candidate.path("id").asText();
          }
        }
      }
    }
    return id;
  }

  private boolean retriedLater(Run run, JsonNode attempt) {
    for (JsonNode node : run.nodes()) {
      if ("Retry".equals(node.path("type").asText())) {
        JsonNode children = node.path("children");
        for (int i = 0; i < children.size() - 1; i++) {
          if (children.get(i).asText().equals(attempt.path("id").asText())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private ObjectNode ensureNode(
      Run run,
      String nodeName,
      String displayName,
      String type,
      String template,
      Map<String, String> inputs) {
    String id = nodeId(run, nodeName);
    ObjectNode node = (ObjectNode) run.nodes().get(id);
    if (node != null) {
      return node;
    }
    node = run.nodes().putObject(id);
    node.put("id", id);
    node.put("name", nodeName);
    node.put("displayName", displayName);
    node.put("type", type);
    if (template != null) {
      node.put("templateName", template);
    }
    node.put("phase", "Running");
    node.put("startedAt", now());
    if (inputs != null && !inputs.isEmpty()) {
      ArrayNode parameters = node.putObject("inputs").putArray("parameters");
      inputs.forEach((k, v) -> parameters.addObject().put("name", k).put("value", v));
    }
    return node;
  }

  private static void addChild(ObjectNode parent, ObjectNode child) {
    if (parent == null) {
      return;
    }
    ArrayNode children = parent.withArray("/children");
    for (JsonNode existing : children) {
      if (existing.asText().equals(child.path("id").asText())) {
        return;
      }
    }
    children.add(child.path("id").asText());
  }

  private static boolean isWork(JsonNode node) {
    return "Pod".equals(node.path("type").asText());
  }

  private static boolean isExitHandler(Run run, JsonNode node) {
    return node.path("name").asText().equals(run.name() + ".onExit");
  }

  private static String nodeId(Run run, String nodeName) {
    return nodeName.equals(run.name())
        ? run.name()
        : run.name() + "-" + Integer.toUnsignedString(ArgoNames.fnv32a(nodeName));
  }

  private static String podName(Run run, JsonNode node) {
    return ArgoNames.podName(
        run.name(), node.path("templateName").asText(), node.path("name").asText());
  }

  private static JsonNode templateNamed(JsonNode spec, String name) {
    for (JsonNode template : spec.path("templates")) {
      if (template.path("name").asText().equals(name)) {
        return template;
      }
    }
    return ArgoHttp.JSON.createObjectNode();
  }

  private static String substitute(Run run, String text, Map<String, String> inputs, int retries) {
    Matcher m = Pattern.compile("\\{\\{\\s*([a-zA-Z0-9_.-]+)\\s*}}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String value = m.group(0);
      if (key.equals("workflow.name")) {
        value = run.name();
      } else if (key.equals("retries")) {
        value = String.valueOf(retries);
      } else if (key.startsWith("workflow.parameters.")) {
        String name = key.substring("workflow.parameters.".length());
        for (JsonNode parameter : run.workflow.path("spec").path("arguments").path("parameters")) {
          if (parameter.path("name").asText().equals(name)) {
            value = parameter.path("value").asText();
          }
        }
      } else if (key.startsWith("inputs.parameters.")) {
        value = inputs.getOrDefault(key.substring("inputs.parameters.".length()), value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  // --- bookkeeping ---------------------------------------------------------------------------

  private void changed(Run run, String type) {
    resourceVersion++;
    ((ObjectNode) run.workflow.get("metadata"))
        .put("resourceVersion", String.valueOf(resourceVersion));
    Event event = new Event(resourceVersion, type, run.namespace, copyForClient(run, false));
    history.addLast(event);
    while (history.size() > options.eventHistory()) {
      history.removeFirst();
    }
    watchers.forEach(queue -> queue.add(event));
  }

  /** What a client sees: lists and events leave offloaded node statuses out, a GET has them. */
  private JsonNode copyForClient(Run run, boolean hydrated) {
    ObjectNode copy = run.workflow.deepCopy();
    ObjectNode status = (ObjectNode) copy.get("status");
    if (status.path("nodes").size() > options.offloadNodesAbove()) {
      status.put(
          "offloadNodeStatusVersion",
          "fnv:" + Integer.toUnsignedString(ArgoNames.fnv32a(status.path("nodes").toString())));
      if (!hydrated) {
        status.remove("nodes");
      }
    }
    return copy;
  }

  synchronized List<Long> runningPods() {
    List<Long> pids = new ArrayList<>();
    for (Run run : runs.values()) {
      for (Pod pod : run.pods.values()) {
        if (pod.process != null && pod.process.isAlive()) {
          pids.add(pod.process.pid());
        }
      }
    }
    return pids;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    synchronized (this) {
      for (Run run : runs.values()) {
        for (Pod pod : run.pods.values()) {
          if (pod.process != null) {
            pod.process.descendants().forEach(ProcessHandle::destroyForcibly);
            pod.process.destroyForcibly();
          }
        }
      }
    }
  }
}
