package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArgoWorkflowsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void aDagsTasksWithDependenciesOrDependsBecomeTheTaskGraph() throws Exception {
    JsonNode spec =
        YAML.readTree(
            """
            entrypoint: main
            templates:
              - name: main
                dag:
                  tasks:
                    - {name: fetch, template: fetch-series}
                    - {name: convert, template: dcm2nii, dependencies: [fetch]}
                    - {name: report, template: report, depends: "convert.Succeeded || fetch.Failed"}
              - {name: fetch-series, container: {image: busybox}}
            """);
    assertThat(ArgoWorkflows.taskGraph(spec))
        .extracting(t -> t.title() + " " + t.type() + " -> " + t.downstream())
        .containsExactly(
            "fetch fetch-series -> [convert, report]",
            "convert dcm2nii -> [report]",
            "report report -> []");
  }

  @Test
  void stepsRunGroupAfterGroupAndASingleContainerIsOneTask() throws Exception {
    JsonNode steps =
        YAML.readTree(
            """
            entrypoint: main
            templates:
              - name: main
                steps:
                  - [{name: a, template: t}]
                  - [{name: b1, template: t}, {name: b2, template: t}]
                  - [{name: c, template: t}]
            """);
    assertThat(ArgoWorkflows.taskGraph(steps))
        .extracting(t -> t.title() + " -> " + t.downstream())
        .containsExactly("a -> [b1, b2]", "b1 -> [c]", "b2 -> [c]", "c -> []");
    JsonNode single =
        YAML.readTree("{entrypoint: hello, templates: [{name: hello, container: {}}]}");
    assertThat(ArgoWorkflows.taskGraph(single))
        .extracting(Deployment.TaskNode::title)
        .containsExactly("hello");
  }

  @Test
  void retryNodesChildrenAreAttemptsAndTheLatestCounts() throws Exception {
    JsonNode workflow =
        YAML.readTree(
            """
            metadata: {name: kaapana-r1}
            spec: {}
            status:
              phase: Running
              startedAt: "2026-11-26T20:00:00Z"
              nodes:
                kaapana-r1: {id: kaapana-r1, name: kaapana-r1, displayName: kaapana-r1, type: DAG, phase: Running}
                n1: {id: n1, name: kaapana-r1.prepare, displayName: prepare, type: Pod, phase: Succeeded,
                     startedAt: "2026-11-26T20:00:01Z", finishedAt: "2026-11-26T20:00:05Z"}
                r2: {id: r2, name: kaapana-r1.segment, displayName: segment, type: Retry, phase: Running,
                     children: [p20, p21]}
                p20: {id: p20, name: "kaapana-r1.segment(0)", displayName: "segment(0)", type: Pod,
                      phase: Failed, message: "Error (exit code 3)", startedAt: "2026-11-26T20:00:06Z",
                      finishedAt: "2026-11-26T20:00:08Z"}
                p21: {id: p21, name: "kaapana-r1.segment(1)", displayName: "segment(1)", type: Pod,
                      phase: Running, startedAt: "2026-11-26T20:00:10Z"}
                s3: {id: s3, name: kaapana-r1.export, displayName: export, type: Skipped, phase: Omitted}
            """);
    RunObservation observed =
        ArgoWorkflows.observation(new RunRef("r1", "kaapana-r1", "kaapana-w-v1", 1), workflow);
    assertThat(observed.state()).isEqualTo(EngineRunState.RUNNING);
    assertThat(observed.startedAt()).isEqualTo(Instant.parse("2026-11-26T20:00:00Z"));
    assertThat(observed.finishedAt()).isNull();
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state() + " " + t.attempt())
        .containsExactly("prepare COMPLETED 1", "segment RUNNING 2", "export SKIPPED 1");
    TaskObservation prepare = observed.tasks().get(0);
    assertThat(prepare.finishedAt()).isEqualTo(Instant.parse("2026-11-26T20:00:05Z"));
  }

  @Test
  void aStoppedWorkflowIsCanceledWithItsUnfinishedNodes() throws Exception {
    JsonNode workflow =
        YAML.readTree(
            """
            metadata: {name: kaapana-r2}
            spec: {shutdown: Stop}
            status:
              phase: Failed
              message: "Stopped with strategy 'Stop'"
              startedAt: "2026-11-26T20:00:00Z"
              finishedAt: "2026-11-26T20:01:00Z"
              nodes:
                w: {id: w, name: kaapana-r2.wait, displayName: wait, type: Pod, phase: Failed,
                    message: "Stopped with strategy 'Stop'"}
                a: {id: a, name: kaapana-r2.after, displayName: after, type: Pod, phase: Pending}
            """);
    RunObservation observed =
        ArgoWorkflows.observation(new RunRef("r2", "kaapana-r2", "t", 1), workflow);
    assertThat(observed.state()).isEqualTo(EngineRunState.CANCELED);
    assertThat(observed.message()).isEqualTo("Stopped with strategy 'Stop'");
    assertThat(observed.finishedAt()).isEqualTo(Instant.parse("2026-11-26T20:01:00Z"));
    assertThat(observed.tasks())
        .extracting(TaskObservation::state)
        .containsOnly(EngineTaskState.CANCELED);
  }

  @Test
  void aRetryRecordsTheAttemptsOfWhatItRerunsAndObservationsCountOnFromThere() throws Exception {
    JsonNode failed =
        YAML.readTree(
            """
            metadata: {name: w}
            spec: {arguments: {parameters: [{name: kaapana-task-attempts, value: '{"segment":1}'}]}}
            status:
              phase: Failed
              nodes:
                w: {id: w, name: w, displayName: w, type: DAG, phase: Failed, children: [n1]}
                n1: {id: n1, name: w.prepare, displayName: prepare, type: Pod, phase: Succeeded,
                     startedAt: "2026-11-26T20:00:01Z", children: [n2]}
                n2: {id: n2, name: w.segment, displayName: segment, type: Pod, phase: Failed,
                     startedAt: "2026-11-26T20:00:06Z", children: [n3]}
                n3: {id: n3, name: w.export, displayName: export, type: Pod, phase: Succeeded,
                     startedAt: "2026-11-26T20:00:09Z"}
            """);
    assertThat(ArgoWorkflows.attemptOffsets(failed))
        .containsExactly(java.util.Map.entry("segment", 1));
    assertThat(ArgoWorkflows.tasksARetryReruns(failed, false, null)).containsExactly("segment");
    assertThat(ArgoWorkflows.tasksARetryReruns(failed, true, null))
        .containsExactlyInAnyOrder("prepare", "segment", "export");
    assertThat(ArgoWorkflows.tasksARetryReruns(failed, true, "prepare"))
        .as("a selected task and the tasks below it")
        .containsExactlyInAnyOrder("prepare", "segment", "export");
    assertThat(ArgoWorkflows.tasksARetryReruns(failed, true, "export"))
        .containsExactlyInAnyOrder("segment", "export");

    RunObservation observed = ArgoWorkflows.observation(new RunRef("r", "w", null, 3), failed);
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.attempt())
        .containsExactly("prepare 1", "segment 2", "export 1");
    assertThat(ArgoWorkflows.attemptNode(failed, "segment", 2).path("id").asText()).isEqualTo("n2");
    assertThat(ArgoWorkflows.attemptNode(failed, "segment", 1))
        .as("replaced by Argo's retry")
        .isNull();
  }

  @Test
  void aWorkflowOfOneContainerIsOneTaskAndTheExitHandlerIsNoTask() throws Exception {
    JsonNode workflow =
        YAML.readTree(
            """
            metadata: {name: w}
            spec: {shutdown: Stop}
            status:
              phase: Failed
              storedWorkflowTemplateSpec: {entrypoint: hello, templates: [{name: hello, container: {}}]}
              nodes:
                w: {id: w, name: w, displayName: w, templateName: hello, type: Pod, phase: Failed,
                    startedAt: "2026-11-26T20:00:01Z"}
                x: {id: x, name: w.onExit, displayName: w.onExit, templateName: bye, type: Pod,
                    phase: Succeeded}
            """);
    RunObservation observed = ArgoWorkflows.observation(new RunRef("r", "w", null, 1), workflow);
    assertThat(observed.state()).isEqualTo(EngineRunState.CANCELED);
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state())
        .containsExactly("hello CANCELED");
    assertThat(ArgoWorkflows.attemptNode(workflow, "hello", 1).path("id").asText()).isEqualTo("w");
  }

  @Test
  void tasksWithoutANodeInASettledWorkflowNeverRan() throws Exception {
    JsonNode workflow =
        YAML.readTree(
            """
            metadata: {name: w}
            spec: {}
            status:
              phase: Failed
              message: child 'n1' failed
              storedWorkflowTemplateSpec:
                entrypoint: main
                templates:
                  - name: main
                    dag:
                      tasks:
                        - {name: a, template: t}
                        - {name: b, template: t, dependencies: [a]}
              nodes:
                w: {id: w, name: w, displayName: w, type: DAG, phase: Failed}
                n1: {id: n1, name: w.a, displayName: a, type: Pod, phase: Failed}
            """);
    RunObservation observed = ArgoWorkflows.observation(new RunRef("r", "w", null, 1), workflow);
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state() + " " + t.startedAt())
        .containsExactly("a ERROR null", "b UPSTREAM_FAILED null");
    assertThat(observed.message())
        .as("Argo's node id becomes the task's name")
        .isEqualTo("child 'a' failed");
  }

  @Test
  void tasksArgoOmittedBelowAFailureAreUpstreamFailedAndTheRunNamesTheFailedTask()
      throws Exception {
    // As the real controller (v3.7.18) leaves a DAG a → b → c with a failed, d succeeded, and
    // e omitted because its "depends: d.Failed" was not met: no workflow message.
    JsonNode workflow =
        YAML.readTree(
            """
            metadata: {name: w}
            spec: {}
            status:
              phase: Failed
              nodes:
                w: {id: w, name: w, displayName: w, type: DAG, phase: Failed, children: [na, nd]}
                na: {id: na, name: w.a, displayName: a, type: Pod, phase: Failed,
                     message: "main: Error (exit code 2)", children: [nb],
                     startedAt: "2026-12-03T02:00:00Z", finishedAt: "2026-12-03T02:00:02Z"}
                nb: {id: nb, name: w.b, displayName: b, type: Skipped, phase: Omitted,
                     message: "omitted: depends condition not met", children: [nc]}
                nc: {id: nc, name: w.c, displayName: c, type: Skipped, phase: Omitted,
                     message: "omitted: depends condition not met"}
                nd: {id: nd, name: w.d, displayName: d, type: Pod, phase: Succeeded, children: [ne]}
                ne: {id: ne, name: w.e, displayName: e, type: Skipped, phase: Omitted,
                     message: "omitted: depends condition not met"}
            """);
    RunObservation observed = ArgoWorkflows.observation(new RunRef("r", "w", null, 1), workflow);
    assertThat(observed.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state())
        .containsExactlyInAnyOrder(
            "a ERROR", "b UPSTREAM_FAILED", "c UPSTREAM_FAILED", "d COMPLETED", "e SKIPPED");
    assertThat(observed.state()).isEqualTo(EngineRunState.ERROR);
    assertThat(observed.message()).isEqualTo("task 'a' failed: main: Error (exit code 2)");
  }
}
