package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure reading of KFP's {@code v2beta1Run}: its state, and its task details as Kaapana task runs.
 *
 * <p>KFP (2.17, on Argo) reports one task detail per node of the run's Argo workflow, named by the
 * node's display name: the task of a container component is the node named by its key in the root
 * DAG (beside it {@code <key>-driver}, below it {@code executor}). Details are kept per node and
 * updated in place, so a retry that re-runs a task updates its detail; its {@code state_history}
 * keeps every state, and each time it leaves {@code FAILED} or {@code CANCELED} a new attempt
 * began.
 */
final class KubeflowRuns {

  private static final Set<String> ENDED_BADLY = Set.of("FAILED", "CANCELED");

  private KubeflowRuns() {}

  static EngineRunState runState(String state) {
    return switch (state) {
      case "RUNNING", "CANCELING", "PAUSED" -> EngineRunState.RUNNING;
      case "SUCCEEDED", "SKIPPED" -> EngineRunState.COMPLETED;
      case "FAILED" -> EngineRunState.ERROR;
      case "CANCELED" -> EngineRunState.CANCELED;
      default -> EngineRunState.PENDING; // PENDING, RUNTIME_STATE_UNSPECIFIED, none yet
    };
  }

  /**
   * A task's state; a task KFP never ran ({@code RUNTIME_STATE_UNSPECIFIED}: Argo omitted it below
   * a failure) is {@code UPSTREAM_FAILED} once the run failed, {@code CANCELED} once it was
   * canceled; what failed in a canceled run was canceled.
   */
  static EngineTaskState taskState(String state, EngineRunState run) {
    return switch (state) {
      case "PENDING" -> EngineTaskState.PENDING;
      case "RUNNING", "CANCELING", "PAUSED" -> EngineTaskState.RUNNING;
      case "SUCCEEDED" -> EngineTaskState.COMPLETED;
      case "SKIPPED" -> EngineTaskState.SKIPPED;
      case "FAILED" ->
          run == EngineRunState.CANCELED ? EngineTaskState.CANCELED : EngineTaskState.ERROR;
      case "CANCELED" -> EngineTaskState.CANCELED;
      default ->
          switch (run) {
            case ERROR -> EngineTaskState.UPSTREAM_FAILED;
            case CANCELED -> EngineTaskState.CANCELED;
            default -> EngineTaskState.PENDING;
          };
    };
  }

  /**
   * How long after a run ended its task details may still lag behind: KFP's persistence agent
   * reports the workflow's state and its nodes' as they come, and a run was seen {@code SUCCEEDED}
   * with a task still {@code RUNNING}. Within it such a run is reported {@code RUNNING}.
   */
  static final Duration TASKS_CATCH_UP = Duration.ofSeconds(60);

  /**
   * The run as Kaapana sees it; {@code titles} are the tasks of the run's pipeline version; {@code
   * terminated}: its Argo workflow was shut down (KFP 2.17 reports a terminated run {@code FAILED},
   * without {@code CANCELING} in its history, so only the workflow tells).
   */
  static RunObservation observation(
      RunRef ref, JsonNode run, List<String> titles, boolean terminated, Instant now) {
    EngineRunState state = runState(run.path("state").asText(""));
    if (state == EngineRunState.ERROR && terminated) {
      state = EngineRunState.CANCELED;
    }
    Instant finished = time(run.path("finished_at"));
    if (state.isSettled()
        && tasksLag(run, titles)
        && (finished == null || now.isBefore(finished.plus(TASKS_CATCH_UP)))) {
      state = EngineRunState.RUNNING;
    }
    List<TaskObservation> tasks = tasks(run, titles, state);
    String message = null;
    if (state == EngineRunState.ERROR) {
      message = text(run.path("error").path("message"));
      if (message == null) {
        message = firstFailure(tasks);
      }
    } else if (state == EngineRunState.CANCELED) {
      message = "terminated";
    }
    return new RunObservation(
        ref.runId(),
        run.path("run_id").asText(ref.externalId()),
        state,
        ref.attempt(),
        message,
        time(run.path("created_at")),
        state.isSettled() ? time(run.path("finished_at")) : null,
        tasks);
  }

  /**
   * The run's tasks when its pipeline version is gone: KFP gives each container task of the root
   * DAG a detail {@code <key>} and a driver {@code <key>-driver} (the root's own is {@code
   * root-driver}).
   */
  static List<String> titlesFromDetails(JsonNode run) {
    Set<String> names = new java.util.LinkedHashSet<>();
    run.path("run_details")
        .path("task_details")
        .forEach(d -> names.add(d.path("display_name").asText("")));
    List<String> titles = new ArrayList<>();
    for (String name : names) {
      if (!name.equals("root") && names.contains(name + "-driver")) {
        titles.add(name);
      }
    }
    return titles;
  }

  /** Whether a task of the run is still pending or running in KFP's details. */
  private static boolean tasksLag(JsonNode run, List<String> titles) {
    for (JsonNode detail : run.path("run_details").path("task_details")) {
      if (titles.contains(detail.path("display_name").asText(""))
          && runState(detail.path("state").asText("")) == EngineRunState.RUNNING) {
        return true;
      }
    }
    return false;
  }

  static List<TaskObservation> tasks(JsonNode run, List<String> titles, EngineRunState runState) {
    Map<String, JsonNode> byTitle = new LinkedHashMap<>();
    Set<String> wanted = Set.copyOf(titles);
    for (JsonNode detail : run.path("run_details").path("task_details")) {
      String title = detail.path("display_name").asText("");
      if (!wanted.contains(title)) {
        continue; // drivers, executors, the root DAG, the workflow itself
      }
      JsonNode known = byTitle.get(title);
      if (known == null || newer(detail, known)) {
        byTitle.put(title, detail);
      }
    }
    List<TaskObservation> tasks = new ArrayList<>();
    for (String title : titles) {
      JsonNode detail = byTitle.get(title);
      if (detail == null) {
        if (runState.isSettled() && runState != EngineRunState.COMPLETED) {
          // KFP never reached it (the run ended before its node was created).
          tasks.add(new TaskObservation(title, taskState("", runState), 1, null, null, null, null));
        }
        continue;
      }
      String kfpState = detail.path("state").asText("");
      EngineTaskState state = taskState(kfpState, runState);
      boolean ran = !kfpState.isEmpty() && !kfpState.equals("RUNTIME_STATE_UNSPECIFIED");
      tasks.add(
          new TaskObservation(
              title,
              state,
              attempt(detail),
              text(detail.path("task_id")),
              state == EngineTaskState.ERROR ? text(detail.path("error").path("message")) : null,
              ran ? time(detail.path("start_time")) : null,
              ran && state.isSettled() ? time(detail.path("end_time")) : null));
    }
    return tasks;
  }

  /** 1, plus one for each time the task's history leaves FAILED or CANCELED (a retry). */
  static int attempt(JsonNode detail) {
    int attempt = 1;
    String previous = null;
    for (JsonNode status : detail.path("state_history")) {
      String state = status.path("state").asText("");
      if (previous != null && ENDED_BADLY.contains(previous) && !state.equals(previous)) {
        attempt++;
      }
      previous = state;
    }
    return attempt;
  }

  private static boolean newer(JsonNode candidate, JsonNode known) {
    Comparator<JsonNode> byCreation =
        Comparator.comparing(
            d -> time(d.path("create_time")), Comparator.nullsFirst(Comparator.naturalOrder()));
    int order = byCreation.compare(candidate, known);
    // Of two details created at once, the task's node is the one with children (its executor).
    return order > 0
        || order == 0 && candidate.path("child_tasks").size() > known.path("child_tasks").size();
  }

  private static String firstFailure(List<TaskObservation> tasks) {
    return tasks.stream()
        .filter(t -> t.state() == EngineTaskState.ERROR)
        .min(
            Comparator.comparing(
                TaskObservation::finishedAt, Comparator.nullsLast(Comparator.naturalOrder())))
        .map(
            t ->
                "task '"
                    + t.taskTitle()
                    + "' failed"
                    + (t.message() == null ? "" : ": " + t.message()))
        .orElse(null);
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /** A timestamp; KFP writes the epoch for times it does not have, which is none. */
  static Instant time(JsonNode node) {
    if (!node.isTextual() || node.asText().isBlank()) {
      return null;
    }
    try {
      Instant time = Instant.parse(node.asText());
      return time.getEpochSecond() <= 0 ? null : time;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
