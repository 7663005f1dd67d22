package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Argo's objects: the task graph of a WorkflowTemplate, and a Workflow's status as Kaapana
 * observations. Pure functions over JSON, so they are tested without a server.
 */
final class ArgoWorkflows {

  /** Node types that run work; the others (DAG, Steps, StepGroup, Retry, …) only group it. */
  private static final Set<String> WORK_NODES = Set.of("Pod", "Container", "HTTP", "Plugin");

  private ArgoWorkflows() {}

  /**
   * The task graph of a WorkflowTemplate's entrypoint: the tasks of its DAG ({@code dependencies}
   * or the task names in {@code depends}), or its steps in order (each group depends on the one
   * before). A template of one container is one task.
   */
  static List<Deployment.TaskNode> taskGraph(JsonNode spec) {
    String entrypoint = spec.path("entrypoint").asText("");
    JsonNode entry = null;
    for (JsonNode template : spec.path("templates")) {
      if (template.path("name").asText().equals(entrypoint)) {
        entry = template;
      }
    }
    List<Deployment.TaskNode> tasks = new ArrayList<>();
    if (entry == null) {
      return tasks;
    }
    if (entry.has("dag")) {
      Map<String, List<String>> downstream = new LinkedHashMap<>();
      Map<String, String> types = new HashMap<>();
      for (JsonNode task : entry.path("dag").path("tasks")) {
        String name = task.path("name").asText();
        downstream.putIfAbsent(name, new ArrayList<>());
        types.put(name, templateOf(task));
      }
      for (JsonNode task : entry.path("dag").path("tasks")) {
        String name = task.path("name").asText();
        for (String upstream : upstreamOf(task, downstream.keySet())) {
          downstream.computeIfAbsent(upstream, k -> new ArrayList<>()).add(name);
        }
      }
      downstream.forEach(
          (name, after) -> tasks.add(new Deployment.TaskNode(name, name, types.get(name), after)));
      return tasks;
    }
    if (entry.has("steps")) {
      List<List<JsonNode>> groups = new ArrayList<>();
      for (JsonNode group : entry.path("steps")) {
        List<JsonNode> steps = new ArrayList<>();
        group.forEach(steps::add);
        groups.add(steps);
      }
      for (int i = 0; i < groups.size(); i++) {
        List<String> next = new ArrayList<>();
        if (i + 1 < groups.size()) {
          groups.get(i + 1).forEach(step -> next.add(step.path("name").asText()));
        }
        for (JsonNode step : groups.get(i)) {
          String name = step.path("name").asText();
          tasks.add(new Deployment.TaskNode(name, name, templateOf(step), next));
        }
      }
      return tasks;
    }
    tasks.add(new Deployment.TaskNode(entrypoint, entrypoint, entrypoint, List.of()));
    return tasks;
  }

  /** The template a task or step calls: its {@code template}, or the one its templateRef names. */
  private static String templateOf(JsonNode task) {
    if (task.has("template")) {
      return task.path("template").asText();
    }
    JsonNode ref = task.path("templateRef");
    return ref.isObject() ? ref.path("name").asText() + "/" + ref.path("template").asText() : null;
  }

  /** A DAG task's upstream: {@code dependencies}, or the task names its {@code depends} names. */
  private static List<String> upstreamOf(JsonNode task, Set<String> names) {
    List<String> upstream = new ArrayList<>();
    task.path("dependencies").forEach(d -> upstream.add(d.asText()));
    String depends = task.path("depends").asText("");
    for (String token : depends.split("[^A-Za-z0-9_-]+")) {
      if (names.contains(token) && !upstream.contains(token)) {
        upstream.add(token);
      }
    }
    return upstream;
  }

  /** A Workflow as Kaapana sees it. */
  static RunObservation observation(RunRef ref, JsonNode workflow) {
    JsonNode status = workflow.path("status");
    boolean shutdown = !workflow.path("spec").path("shutdown").asText("").isEmpty();
    EngineRunState state = ArgoStates.runState(status.path("phase").asText(""), shutdown);
    String message =
        status.path("message").isTextual()
            ? withDisplayNames(status.path("message").asText(), status.path("nodes"))
            : null;
    if (state == EngineRunState.CANCELED && message == null) {
      message = "stopped";
    }
    List<TaskObservation> tasks = tasks(workflow, shutdown, attemptOffsets(workflow), state);
    if (state == EngineRunState.ERROR && message == null) {
      message = firstFailure(tasks);
    }
    return new RunObservation(
        ref.runId(),
        workflow.path("metadata").path("name").asText(ref.externalId()),
        state,
        ref.attempt(),
        state == EngineRunState.RUNNING || state == EngineRunState.COMPLETED ? null : message,
        time(status.path("startedAt")),
        state.isSettled() ? time(status.path("finishedAt")) : null,
        tasks);
  }

  /**
   * A failed DAG leaves the workflow without a message (Argo v3.7; steps say "child '…' failed"):
   * the run's message then names the task that failed first, with its node's message.
   */
  private static String firstFailure(List<TaskObservation> tasks) {
    return tasks.stream()
        .filter(t -> t.state() == EngineTaskState.ERROR)
        .min(
            java.util.Comparator.comparing(
                TaskObservation::finishedAt,
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
        .map(
            t ->
                "task '"
                    + t.taskTitle()
                    + "' failed"
                    + (t.message() == null || t.message().isBlank() ? "" : ": " + t.message()))
        .orElse(null);
  }

  /**
   * Argo names nodes by id in its messages ("child 'kaapana-…-2916213583' failed"): the user knows
   * the task by its display name.
   */
  static String withDisplayNames(String message, JsonNode nodes) {
    java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("'([^']+)'").matcher(message);
    StringBuilder out = new StringBuilder();
    while (quoted.find()) {
      JsonNode node = nodes.path(quoted.group(1));
      String name = node.isObject() ? node.path("displayName").asText(quoted.group(1)) : null;
      quoted.appendReplacement(
          out,
          java.util.regex.Matcher.quoteReplacement(
              name == null ? quoted.group() : "'" + name + "'"));
    }
    quoted.appendTail(out);
    return out.toString();
  }

  /** The name of the workflow parameter in which the adapter keeps earlier attempts per task. */
  static final String ATTEMPTS_PARAMETER = "kaapana-task-attempts";

  /**
   * Attempts each task used before the latest retry through Kaapana. Argo's {@code retry} deletes
   * the nodes it re-runs and numbers their new pods from scratch, so the adapter records, in a
   * workflow parameter that the retry request overrides, how many attempts each task had.
   */
  static Map<String, Integer> attemptOffsets(JsonNode workflow) {
    Map<String, Integer> offsets = new HashMap<>();
    for (JsonNode parameter : workflow.path("spec").path("arguments").path("parameters")) {
      if (ATTEMPTS_PARAMETER.equals(parameter.path("name").asText())) {
        try {
          JsonNode recorded = ArgoHttp.JSON.readTree(parameter.path("value").asText("{}"));
          recorded
              .fields()
              .forEachRemaining(
                  entry -> {
                    if (entry.getValue().canConvertToInt() && entry.getValue().asInt() > 0) {
                      offsets.put(entry.getKey(), entry.getValue().asInt());
                    }
                  });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          // someone edited it by hand: count from Argo's nodes alone
        }
      }
    }
    return offsets;
  }

  /**
   * The titles of the tasks a retry resets whose attempt was used: every started task that did not
   * complete, every started task when {@code restartSuccessful}, else also the selected one and the
   * tasks below it (Argo resets a selected node's descendants too).
   */
  static Set<String> tasksARetryReruns(
      JsonNode workflow, boolean restartSuccessful, String selectedTitle) {
    JsonNode nodes = workflow.path("status").path("nodes");
    Set<String> rerun = new java.util.LinkedHashSet<>();
    List<TaskObservation> tasks = tasks(workflow, false, Map.of(), EngineRunState.RUNNING);
    for (TaskObservation task : tasks) {
      if (task.startedAt() == null && task.state() != EngineTaskState.RUNNING) {
        continue; // never ran (no node, or an omitted one): its attempt is still unused
      }
      if (task.state() != EngineTaskState.COMPLETED
          || (restartSuccessful && selectedTitle == null)) {
        rerun.add(task.taskTitle());
      }
    }
    if (selectedTitle != null) {
      java.util.ArrayDeque<JsonNode> below = new java.util.ArrayDeque<>();
      nodes.forEach(
          node -> {
            if (node.path("displayName").asText().equals(selectedTitle)) {
              below.add(node);
            }
          });
      Set<String> seen = new java.util.HashSet<>();
      while (!below.isEmpty()) {
        JsonNode node = below.poll();
        if (!seen.add(node.path("id").asText())) {
          continue;
        }
        String title = node.path("displayName").asText();
        if (WORK_NODES.contains(node.path("type").asText())
            || "Retry".equals(node.path("type").asText())) {
          rerun.add(title.replaceAll("\\(\\d+\\)$", ""));
        }
        node.path("children").forEach(child -> below.add(nodes.path(child.asText())));
      }
    }
    return rerun;
  }

  /**
   * One task observation per task: a node that runs work, titled by its display name; a retried
   * task's attempts are the children of its {@code Retry} node, the latest one counts.
   */
  static List<TaskObservation> tasks(
      JsonNode workflow,
      boolean shutdown,
      Map<String, Integer> attemptOffsets,
      EngineRunState runState) {
    String workflowName = workflow.path("metadata").path("name").asText();
    JsonNode nodes = workflow.path("status").path("nodes");
    Map<String, JsonNode> retryOf = new HashMap<>();
    nodes.forEach(
        node -> {
          if ("Retry".equals(node.path("type").asText())) {
            node.path("children").forEach(child -> retryOf.put(child.asText(), node));
          }
        });
    Map<String, List<JsonNode>> parentsOf = new HashMap<>();
    nodes.forEach(
        node ->
            node.path("children")
                .forEach(
                    child ->
                        parentsOf
                            .computeIfAbsent(child.asText(), c -> new ArrayList<>())
                            .add(node)));
    Map<String, TaskObservation> byTitle = new LinkedHashMap<>();
    nodes.forEach(
        node -> {
          if (!WORK_NODES.contains(node.path("type").asText())
                  && !"Skipped".equals(node.path("type").asText())
              || node.path("name").asText().equals(workflowName + ".onExit")) {
            return; // a group, or the exit handler (not a task of the graph)
          }
          JsonNode retry = retryOf.get(node.path("id").asText());
          String title;
          if (retry != null) {
            title = retry.path("displayName").asText();
          } else if (node.path("id").asText().equals(workflowName)) {
            title = node.path("templateName").asText(); // a workflow of one container
          } else {
            title = node.path("displayName").asText(node.path("name").asText());
          }
          int attempt = 1;
          if (retry != null) {
            List<String> children = new ArrayList<>();
            retry.path("children").forEach(child -> children.add(child.asText()));
            attempt = children.indexOf(node.path("id").asText()) + 1;
          }
          attempt += attemptOffsets.getOrDefault(title, 0);
          EngineTaskState state = ArgoStates.taskState(node.path("phase").asText(""), shutdown);
          // An omitted task never ran, though Argo gives its node the time it was omitted.
          boolean omitted = "Omitted".equals(node.path("phase").asText());
          if (state == EngineTaskState.SKIPPED
              && omitted
              && belowAFailure(node, parentsOf, new java.util.HashSet<>())) {
            state = EngineTaskState.UPSTREAM_FAILED;
          }
          TaskObservation observed =
              new TaskObservation(
                  title,
                  state,
                  attempt,
                  node.path("id").asText(),
                  state == EngineTaskState.ERROR ? node.path("message").asText(null) : null,
                  omitted ? null : time(node.path("startedAt")),
                  state.isSettled() && !omitted ? time(node.path("finishedAt")) : null);
          TaskObservation known = byTitle.get(title);
          if (known == null || known.attempt() < attempt) {
            byTitle.put(title, observed);
          }
        });
    if (runState.isSettled() && runState != EngineRunState.COMPLETED) {
      // Argo creates no node for a task below a failed one, nor for one a stop kept from starting.
      EngineTaskState never =
          runState == EngineRunState.CANCELED
              ? EngineTaskState.CANCELED
              : EngineTaskState.UPSTREAM_FAILED;
      JsonNode spec = workflow.path("status").path("storedWorkflowTemplateSpec");
      for (Deployment.TaskNode task : taskGraph(spec)) {
        if (!byTitle.containsKey(task.title())) {
          byTitle.put(
              task.title(),
              new TaskObservation(
                  task.title(),
                  never,
                  attemptOffsets.getOrDefault(task.title(), 0) + 1,
                  null,
                  null,
                  null,
                  null));
        }
      }
    }
    return new ArrayList<>(byTitle.values());
  }

  /**
   * Argo omits a DAG task whose {@code depends} condition failed: below a failed task (or below one
   * omitted for that reason) that is Kaapana's {@code UPSTREAM_FAILED}; below tasks that succeeded
   * (a branch not taken, {@code depends: "a.Failed"}) it stays {@code SKIPPED}.
   */
  private static boolean belowAFailure(
      JsonNode node, Map<String, List<JsonNode>> parentsOf, Set<String> seen) {
    if (!seen.add(node.path("id").asText())) {
      return false;
    }
    for (JsonNode parent : parentsOf.getOrDefault(node.path("id").asText(), List.of())) {
      String type = parent.path("type").asText();
      String phase = parent.path("phase").asText();
      if (!WORK_NODES.contains(type) && !"Retry".equals(type) && !"Skipped".equals(type)) {
        continue; // a group (DAG, Steps) fails because of its tasks, not before them
      }
      if ("Failed".equals(phase) || "Error".equals(phase)) {
        return true;
      }
      if ("Omitted".equals(phase) && belowAFailure(parent, parentsOf, seen)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The work node of one attempt of a task: attempts before the latest retry through Kaapana are
   * gone from Argo (null), the others are the children of the task's {@code Retry} node, or the
   * task's own node.
   */
  static JsonNode attemptNode(JsonNode workflow, String taskTitle, int attempt) {
    JsonNode nodes = workflow.path("status").path("nodes");
    int argoAttempt = attempt - attemptOffsets(workflow).getOrDefault(taskTitle, 0);
    if (argoAttempt < 1) {
      return null;
    }
    String workflowName = workflow.path("metadata").path("name").asText();
    JsonNode plain = null;
    for (JsonNode node : nodes) {
      boolean rootOfOne =
          node.path("id").asText().equals(workflowName)
              && node.path("templateName").asText().equals(taskTitle);
      if (!rootOfOne && !node.path("displayName").asText().equals(taskTitle)) {
        continue;
      }
      if ("Retry".equals(node.path("type").asText())) {
        JsonNode children = node.path("children");
        return argoAttempt <= children.size()
            ? nodes.path(children.get(argoAttempt - 1).asText())
            : null;
      }
      if (WORK_NODES.contains(node.path("type").asText())) {
        plain = node;
      }
    }
    return argoAttempt == 1 ? plain : null;
  }

  private static Instant time(JsonNode value) {
    if (!value.isTextual() || value.asText().isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
