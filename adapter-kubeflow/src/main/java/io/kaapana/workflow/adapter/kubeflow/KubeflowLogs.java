package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.support.EngineAuth;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.PodLogs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task logs of KFP runs, from the pods of their Argo workflows through argo-server (KFP's API has
 * no logs), and whether a failed run was in fact terminated. KFP (2.17) compiles a container task
 * {@code <key>} into an Argo DAG task of that name whose child {@code executor} is the pod (a
 * {@code Retry} node with the pods as children when the task has a retry policy); the run's
 * workflow carries the label {@code pipeline/runid}. Only the task's latest attempt has a pod:
 * KFP's retry deletes the failed ones.
 */
final class KubeflowLogs {

  static final String RUN_ID_LABEL = "pipeline/runid";

  private final EngineClient argo;
  private final String namespace;

  KubeflowLogs(KubeflowSettings settings) throws AdapterException {
    this.argo =
        EngineClient.builder("argo-server", settings.argoUrl())
            .connectTimeout(settings.connectTimeout())
            .requestTimeout(settings.requestTimeout())
            .tls(settings.argoTls().context())
            .auth(
                settings.argoToken() == null
                    ? EngineAuth.none()
                    : EngineAuth.bearer(settings.argoToken()))
            .explanation(KubeflowHttp::message)
            .configurationHint("check kubeflow.argo-token and the RBAC of its service account")
            .build();
    this.namespace = settings.argoNamespace();
  }

  /** argo-server's version: one authenticated call at start. */
  String version() throws AdapterException {
    return argo.expect("GET", "/api/v1/version", Map.of(), null).path("version").asText("?");
  }

  /**
   * The lines of {@code query}'s attempt of the task, for the KFP run {@code kfpRunId} whose task
   * is now in attempt {@code currentAttempt} and {@code settled} or not.
   */
  LogPage read(LogQuery query, String kfpRunId, int currentAttempt, boolean settled)
      throws AdapterException {
    int skip = PodLogs.decodeCursor(query.cursor(), query.attempt());
    if (query.attempt() < currentAttempt) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND,
          "attempt "
              + query.attempt()
              + " of task "
              + query.taskTitle()
              + " is gone: KFP's retry replaced its pod");
    }
    if (query.attempt() > currentAttempt) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND,
          "task " + query.taskTitle() + " has no attempt " + query.attempt() + " (yet)");
    }
    JsonNode workflow = workflow(kfpRunId);
    JsonNode pod = workflow == null ? null : podNode(workflow, query.taskTitle());
    if (pod == null) {
      // Not started yet (or its pod is not created yet): nothing to read, more may come.
      return new LogPage(List.of(), PodLogs.encodeCursor(query.attempt(), skip), false);
    }
    String workflowName = workflow.path("metadata").path("name").asText();
    String podName =
        PodLogs.argoPodName(
            workflowName, pod.path("templateName").asText(), pod.path("name").asText());
    List<LogPage.LogLine> lines = new ArrayList<>();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("podName", podName);
    params.put("logOptions.container", "main");
    params.put("logOptions.timestamps", "true");
    try {
      argo.lines(
          "/api/v1/workflows/" + namespace + "/" + workflowName + "/log",
          params,
          argo.requestTimeout(),
          body -> {},
          entry -> {
            JsonNode result = entry.path("result");
            if (result.has("content")) {
              lines.add(PodLogs.line(result.path("content").asText(), podName));
            }
            return false;
          });
    } catch (AdapterException e) {
      if (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.REJECTED) {
        throw e;
      }
      lines.clear(); // the pod is gone (collected): its lines are no longer there
    }
    int from = Math.min(skip, lines.size());
    int to = Math.min(lines.size(), from + query.limit());
    return new LogPage(
        lines.subList(from, to),
        PodLogs.encodeCursor(query.attempt(), to),
        settled && to == lines.size());
  }

  /**
   * Whether the run's Argo workflow was terminated, which KFP's state hides: KFP 2.17's terminate
   * patches {@code spec.activeDeadlineSeconds} to 0 (seen against a real KFP API server); Argo's
   * own stop or terminate sets {@code spec.shutdown}.
   */
  boolean terminated(String kfpRunId) throws AdapterException {
    JsonNode workflow = workflow(kfpRunId);
    if (workflow == null) {
      return false;
    }
    JsonNode spec = workflow.path("spec");
    return !spec.path("shutdown").asText("").isEmpty()
        || spec.path("activeDeadlineSeconds").isNumber()
            && spec.path("activeDeadlineSeconds").asLong() == 0;
  }

  /** The run's Argo workflow, by the label KFP puts on it; null before KFP created it. */
  private JsonNode workflow(String kfpRunId) throws AdapterException {
    JsonNode list =
        argo.expect(
            "GET",
            "/api/v1/workflows/" + namespace,
            Map.of("listOptions.labelSelector", RUN_ID_LABEL + "=" + kfpRunId),
            null);
    for (JsonNode workflow : list.path("items")) {
      return workflow;
    }
    return null;
  }

  /** The pod node of the task's latest attempt, or null. */
  static JsonNode podNode(JsonNode workflow, String taskTitle) {
    JsonNode nodes = workflow.path("status").path("nodes");
    for (JsonNode node : nodes) {
      if (!node.path("displayName").asText().equals(taskTitle)) {
        continue;
      }
      if ("Pod".equals(node.path("type").asText())) {
        return node; // a task of Kubernetes settings only, which KFP runs as one pod
      }
      for (JsonNode child : node.path("children")) {
        JsonNode executor = nodes.path(child.asText());
        if (!"executor".equals(executor.path("displayName").asText())) {
          continue;
        }
        if ("Retry".equals(executor.path("type").asText())) {
          JsonNode attempts = executor.path("children");
          return attempts.isEmpty() ? null : nodes.path(attempts.get(attempts.size() - 1).asText());
        }
        return executor;
      }
    }
    return null;
  }
}
