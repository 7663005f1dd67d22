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
        types.put(name, task.path("template").asText(null));
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
          tasks.add(new Deployment.TaskNode(name, name, step.path("template").asText(null), next));
        }
      }
      return tasks;
    }
    tasks.add(new Deployment.TaskNode(entrypoint, entrypoint, entrypoint, List.of()));
    return tasks;
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
    String message = status.path("message").isTextual() ? status.path("message").asText() : null;
    if (state == EngineRunState.CANCELED && message == null) {
      message = "stopped";
    }
    return new RunObservation(
        ref.runId(),
        workflow.path("metadata").path("name").asText(ref.externalId()),
        state,
        ref.attempt(),
        state == EngineRunState.RUNNING || state == EngineRunState.COMPLETED ? null : message,
        time(status.path("startedAt")),
        state.isSettled() ? time(status.path("finishedAt")) : null,
        tasks(status.path("nodes"), shutdown));
  }

  /**
   * One task observation per task: a node that runs work, titled by its display name; a retried
   * task's attempts are the children of its {@code Retry} node, the latest one counts.
   */
  static List<TaskObservation> tasks(JsonNode nodes, boolean shutdown) {
    Map<String, JsonNode> retryOf = new HashMap<>();
    nodes.forEach(
        node -> {
          if ("Retry".equals(node.path("type").asText())) {
            node.path("children").forEach(child -> retryOf.put(child.asText(), node));
          }
        });
    Map<String, TaskObservation> byTitle = new LinkedHashMap<>();
    nodes.forEach(
        node -> {
          if (!WORK_NODES.contains(node.path("type").asText())
              && !"Skipped".equals(node.path("type").asText())) {
            return;
          }
          JsonNode retry = retryOf.get(node.path("id").asText());
          String title =
              retry != null
                  ? retry.path("displayName").asText()
                  : node.path("displayName").asText(node.path("name").asText());
          int attempt = 1;
          if (retry != null) {
            List<String> children = new ArrayList<>();
            retry.path("children").forEach(child -> children.add(child.asText()));
            attempt = children.indexOf(node.path("id").asText()) + 1;
          }
          EngineTaskState state = ArgoStates.taskState(node.path("phase").asText(""), shutdown);
          TaskObservation observed =
              new TaskObservation(
                  title,
                  state,
                  attempt,
                  node.path("id").asText(),
                  state == EngineTaskState.ERROR ? node.path("message").asText(null) : null,
                  time(node.path("startedAt")),
                  state.isSettled() ? time(node.path("finishedAt")) : null);
          TaskObservation known = byTitle.get(title);
          if (known == null || known.attempt() < attempt) {
            byTitle.put(title, observed);
          }
        });
    return new ArrayList<>(byTitle.values());
  }

  /**
   * The work node of one attempt of a task: the attempt-th child of its {@code Retry} node, or the
   * task's own node for attempt 1.
   */
  static JsonNode attemptNode(JsonNode nodes, io.kaapana.workflow.adapter.spi.LogQuery query) {
    JsonNode plain = null;
    for (JsonNode node : nodes) {
      if (!node.path("displayName").asText().equals(query.taskTitle())) {
        continue;
      }
      if ("Retry".equals(node.path("type").asText())) {
        JsonNode children = node.path("children");
        if (query.attempt() <= children.size()) {
          return nodes.path(children.get(query.attempt() - 1).asText());
        }
        return null;
      }
      if (WORK_NODES.contains(node.path("type").asText())) {
        plain = node;
      }
    }
    return query.attempt() == 1 ? plain : null;
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
