package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.support.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A workflow revision as a DAG: its file in the shared DAGs folder, what Airflow made of it (the
 * task graph, or the import error), and whether it is paused.
 */
final class AirflowDags {
  private final AirflowSettings settings;
  private final AirflowHttp http;
  private final AirflowDialect dialect;
  private final Clock clock;

  /** Per DAG: its mapped tasks (a DAG id names one immutable revision, so this never changes). */
  private final Map<String, Set<String>> mappedTasks = new ConcurrentHashMap<>();

  AirflowDags(AirflowSettings settings, AirflowHttp http, AirflowDialect dialect, Clock clock) {
    this.settings = settings;
    this.http = http;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** Writes the revision's DAG file and waits until Airflow parsed it (or refused it). */
  Deployment deploy(RevisionSpec revision) throws AdapterException {
    if (!AirflowIds.DAG_ID_PLACEHOLDER.matcher(revision.definition()).find()) {
      return Deployment.invalid(
          List.of(
              "the definition must name its DAG with the placeholder {{ dag_id }}"
                  + " (e.g. DAG(dag_id=\"{{ dag_id }}\", ...)): the adapter gives every revision"
                  + " its own DAG id"));
    }
    String dagId = AirflowIds.dagId(revision.workflowId(), revision.increment());
    String fileName = AirflowIds.dagFileName(dagId);
    writeDagFile(fileName, AirflowIds.render(revision.definition(), dagId, revision.title()));

    Instant deadline = clock.instant().plus(settings.parseTimeout());
    while (true) {
      JsonNode found = http.find(dialect.path("/dags", dagId));
      if (found == null || found.path("has_import_errors").asBoolean()) {
        String importError = importErrorOf(fileName);
        if (importError != null) {
          return Deployment.invalid(
              List.of("Airflow cannot import " + fileName + ":\n" + importError));
        }
      }
      if (found != null) {
        List<Deployment.TaskNode> tasks = taskGraph(dagId);
        if (found.path("is_paused").asBoolean(false)) {
          setPaused(dagId, false);
        }
        return Deployment.valid(dagId, tasks);
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new AdapterException(
            ErrorCode.UNAVAILABLE,
            "Airflow has not parsed "
                + fileName
                + " within "
                + settings.parseTimeout().toSeconds()
                + " s: is "
                + settings.dagsFolder()
                + " the DAGs folder Airflow reads, and is its DAG processor running?");
      }
      AirflowAdapter.sleep(settings.pollInterval());
    }
  }

  /** Pauses the DAGs of an archived workflow's revisions; DAGs Airflow no longer has are fine. */
  void retire(List<String> engineRefs) throws AdapterException {
    for (String dagId : engineRefs) {
      try {
        setPaused(dagId, true);
      } catch (AdapterException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /** Pauses the DAG of a revision or unpauses it. */
  void setPaused(String dagId, boolean paused) throws AdapterException {
    ObjectNode body = AirflowHttp.object();
    body.put("is_paused", paused);
    http.patch(dialect.path("/dags", dagId), Map.of("update_mask", "is_paused"), body);
  }

  /**
   * Airflow's stack trace for the file, matched by name (Airflow may mount the folder elsewhere).
   */
  private String importErrorOf(String fileName) throws AdapterException {
    JsonNode error =
        http.findInPages(
            dialect.api() + "/importErrors",
            Map.of(),
            "import_errors",
            e -> {
              String file = e.path("filename").asText("");
              return file.equals(fileName) || file.endsWith("/" + fileName);
            });
    return error == null ? null : error.path("stack_trace").asText("");
  }

  private List<Deployment.TaskNode> taskGraph(String dagId) throws AdapterException {
    JsonNode answer = http.get(dialect.path("/dags", dagId) + "/tasks", Map.of());
    List<Deployment.TaskNode> tasks = new ArrayList<>();
    Set<String> mapped = new LinkedHashSet<>();
    for (JsonNode task : answer.path("tasks")) {
      if (task.path("is_mapped").asBoolean(false)) {
        mapped.add(task.path("task_id").asText());
      }
      List<String> downstream = new ArrayList<>();
      task.path("downstream_task_ids").forEach(id -> downstream.add(id.asText()));
      String type =
          task.path("operator_name").isTextual()
              ? task.path("operator_name").asText()
              : task.path("class_ref").path("class_name").asText(null);
      String display =
          task.path("task_display_name").isTextual()
              ? task.path("task_display_name").asText()
              : null;
      tasks.add(new Deployment.TaskNode(task.path("task_id").asText(), display, type, downstream));
    }
    mappedTasks.put(dagId, Set.copyOf(mapped));
    return tasks;
  }

  /** Writes beside the target, then renames: Airflow never parses half a file. */
  private void writeDagFile(String fileName, String content) throws AdapterException {
    Path target = settings.dagsFolder().resolve(fileName);
    try {
      if (Files.isRegularFile(target)
          && Files.readString(target, StandardCharsets.UTF_8).equals(content)) {
        return; // deployed before: touching it would make Airflow parse it again
      }
      // A leading dot and no .py: Airflow's folder scan skips the temporary file.
      AtomicFiles.write(target, content.getBytes(StandardCharsets.UTF_8), "rw-rw-r--");
    } catch (IOException e) {
      throw new AdapterException(
          ErrorCode.UNAVAILABLE, "cannot write the DAG file " + target + ": " + e.getMessage(), e);
    }
  }

  /** The DAG's mapped task ids, asked once per DAG (deploy() fills it in on its way). */
  Set<String> mappedTasks(String dagId) throws AdapterException {
    Set<String> known = mappedTasks.get(dagId);
    if (known == null) {
      taskGraph(dagId);
      known = mappedTasks.getOrDefault(dagId, Set.of());
    }
    return known;
  }
}
