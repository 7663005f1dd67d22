package io.kaapana.workflow.adapter.kubeflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeflowRunsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final java.time.Instant LATER = java.time.Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void everyRuntimeStateHasARunAndATaskState() {
    assertThat(
            List.of(
                "RUNTIME_STATE_UNSPECIFIED",
                "PENDING",
                "RUNNING",
                "SUCCEEDED",
                "SKIPPED",
                "FAILED",
                "CANCELING",
                "CANCELED",
                "PAUSED"))
        .extracting(
            s ->
                s
                    + " "
                    + KubeflowRuns.runState(s)
                    + " "
                    + KubeflowRuns.taskState(s, EngineRunState.ERROR))
        .containsExactly(
            "RUNTIME_STATE_UNSPECIFIED PENDING UPSTREAM_FAILED",
            "PENDING PENDING PENDING",
            "RUNNING RUNNING RUNNING",
            "SUCCEEDED COMPLETED COMPLETED",
            "SKIPPED COMPLETED SKIPPED",
            "FAILED ERROR ERROR",
            "CANCELING RUNNING RUNNING",
            "CANCELED CANCELED CANCELED",
            "PAUSED RUNNING RUNNING");
    assertThat(KubeflowRuns.taskState("FAILED", EngineRunState.CANCELED))
        .as("a task killed by terminate")
        .isEqualTo(EngineTaskState.CANCELED);
  }

  @Test
  void aRetriedTaskCountsAnAttemptForEachTimeItsHistoryLeftFailure() throws Exception {
    // After one KFP retry: the same detail, updated in place, with the states of both attempts.
    JsonNode run =
        YAML.readTree(
            """
            run_id: r1
            state: SUCCEEDED
            created_at: "2026-12-03T03:00:00Z"
            finished_at: "2026-12-03T03:01:00Z"
            run_details:
              task_details:
                - {display_name: segment-driver, state: SUCCEEDED, task_id: d1}
                - display_name: segment
                  task_id: t1
                  state: SUCCEEDED
                  create_time: "2026-12-03T03:00:01Z"
                  start_time: "2026-12-03T03:00:40Z"
                  end_time: "2026-12-03T03:00:45Z"
                  child_tasks: [{pod_name: n1}]
                  state_history:
                    - {state: RUNNING}
                    - {state: FAILED}
                    - {state: RUNNING}
                    - {state: SUCCEEDED}
                - {display_name: executor, state: SUCCEEDED, task_id: e1}
                - display_name: export
                  task_id: t2
                  state: SUCCEEDED
                  start_time: "2026-12-03T03:00:50Z"
                  end_time: "2026-12-03T03:00:55Z"
                  state_history: [{state: RUNTIME_STATE_UNSPECIFIED}, {state: RUNNING}, {state: SUCCEEDED}]
            """);
    RunObservation observed =
        KubeflowRuns.observation(
            new RunRef("k", "r1", null, 2), run, List.of("segment", "export"), false, LATER);
    assertThat(observed.state()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(observed.attempt()).isEqualTo(2);
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state() + " " + t.attempt() + " " + t.externalId())
        .containsExactly("segment COMPLETED 2 t1", "export COMPLETED 1 t2");
  }

  @Test
  void tasksOmittedBelowAFailureAreUpstreamFailedWithoutTimesAndTheRunNamesTheFailure()
      throws Exception {
    JsonNode run =
        YAML.readTree(
            """
            run_id: r2
            state: FAILED
            created_at: "2026-12-03T03:00:00Z"
            finished_at: "2026-12-03T03:00:30Z"
            run_details:
              task_details:
                - display_name: segment
                  state: FAILED
                  start_time: "2026-12-03T03:00:10Z"
                  end_time: "2026-12-03T03:00:20Z"
                  error: {code: 2, message: "exit code 3"}
                - display_name: export
                  start_time: "2026-12-03T03:00:21Z"
                  end_time: "1970-01-01T00:00:00Z"
            """);
    RunObservation observed =
        KubeflowRuns.observation(
            new RunRef("k", "r2", null, 1),
            run,
            List.of("prepare", "segment", "export"),
            false,
            LATER);
    assertThat(observed.state()).isEqualTo(EngineRunState.ERROR);
    assertThat(observed.message()).isEqualTo("task 'segment' failed: exit code 3");
    assertThat(observed.tasks())
        .extracting(
            t -> t.taskTitle() + " " + t.state() + " " + t.startedAt() + " " + t.finishedAt())
        .containsExactly(
            "prepare UPSTREAM_FAILED null null",
            "segment ERROR 2026-12-03T03:00:10Z 2026-12-03T03:00:20Z",
            "export UPSTREAM_FAILED null null");
    assertThat(observed.tasks())
        .filteredOn(t -> t.taskTitle().equals("segment"))
        .extracting(TaskObservation::message)
        .containsExactly("exit code 3");
  }

  @Test
  void aRunningRunListsOnlyTheTasksKfpReportedAndTheEpochIsNoTime() throws Exception {
    JsonNode run =
        YAML.readTree(
            """
            run_id: r3
            state: RUNNING
            created_at: "2026-12-03T03:00:00Z"
            finished_at: "1970-01-01T00:00:00Z"
            run_details:
              task_details:
                - {display_name: wait, state: RUNNING, start_time: "2026-12-03T03:00:05Z",
                   end_time: "1970-01-01T00:00:00Z"}
            """);
    RunObservation observed =
        KubeflowRuns.observation(
            new RunRef("k", "r3", null, 1), run, List.of("wait", "after"), false, LATER);
    assertThat(observed.finishedAt()).isNull();
    assertThat(observed.message()).isNull();
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state() + " " + t.finishedAt())
        .containsExactly("wait RUNNING null");
  }

  @Test
  void aSucceededRunWhoseTaskDetailsLagIsRunningForAWhile() throws Exception {
    // Seen against KFP 2.17: the run SUCCEEDED, a task's detail still RUNNING for a moment.
    JsonNode run =
        YAML.readTree(
            """
            run_id: r4
            state: SUCCEEDED
            created_at: "2026-12-03T03:00:00Z"
            finished_at: "2026-12-03T03:01:00Z"
            run_details:
              task_details:
                - {display_name: fetch, state: SUCCEEDED}
                - {display_name: report, state: RUNNING}
            """);
    List<String> titles = List.of("fetch", "report");
    RunRef ref = new RunRef("k", "r4", null, 1);
    assertThat(
            KubeflowRuns.observation(
                    ref, run, titles, false, java.time.Instant.parse("2026-12-03T03:01:10Z"))
                .state())
        .isEqualTo(EngineRunState.RUNNING);
    RunObservation later =
        KubeflowRuns.observation(
            ref, run, titles, false, java.time.Instant.parse("2026-12-03T03:02:01Z"));
    assertThat(later.state())
        .as("after a minute KFP's run state is trusted")
        .isEqualTo(EngineRunState.COMPLETED);
  }

  @Test
  void aFailedRunWhoseWorkflowWasTerminatedIsCanceled() throws Exception {
    // KFP 2.17 reports a terminated run FAILED: the killed task FAILED, the one after it unset.
    JsonNode run =
        YAML.readTree(
            """
            run_id: r5
            state: FAILED
            created_at: "2026-12-03T03:00:00Z"
            finished_at: "2026-12-03T03:00:30Z"
            state_history: [{state: PENDING}, {state: RUNNING}, {state: FAILED}]
            run_details:
              task_details:
                - {display_name: wait, state: FAILED, state_history: [{state: RUNNING}, {state: FAILED}]}
                - {display_name: after, state_history: [{}]}
            """);
    RunObservation canceled =
        KubeflowRuns.observation(
            new RunRef("k", "r5", null, 1), run, List.of("wait", "after"), true, LATER);
    assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);
    assertThat(canceled.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state())
        .containsExactly("wait CANCELED", "after CANCELED");
    assertThat(
            KubeflowRuns.observation(
                    new RunRef("k", "r5", null, 1), run, List.of("wait", "after"), false, LATER)
                .state())
        .as("without the workflow's word it reads as failed")
        .isEqualTo(EngineRunState.ERROR);
  }

  @Test
  void withoutItsPipelineVersionARunsTasksAreTheDetailsWithADriver() throws Exception {
    JsonNode run =
        YAML.readTree(
            """
            run_details:
              task_details:
                - {display_name: three-tasks-xfnzp}
                - {display_name: root-driver}
                - {display_name: root}
                - {display_name: fetch-driver}
                - {display_name: fetch}
                - {display_name: executor}
                - {display_name: convert-driver}
                - {display_name: convert}
                - {display_name: executor}
            """);
    assertThat(KubeflowRuns.titlesFromDetails(run)).containsExactly("fetch", "convert");
  }
}
