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
}
