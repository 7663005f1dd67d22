package io.kaapana.workflow.adapter.kubeflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PipelineSpecsTest {

  @Test
  void theRootDagOfACompiledPipelineIsTheTaskGraph() {
    PipelineSpecs.Parsed parsed =
        PipelineSpecs.parse(KubeflowAdapterContractTest.pipeline("fails-once"));
    assertThat(parsed.problem()).isNull();
    assertThat(PipelineSpecs.taskGraph(parsed.spec()))
        .extracting(
            t -> t.title() + " (" + t.displayName() + ", " + t.type() + ") -> " + t.downstream())
        .containsExactly(
            "export (export, export) -> []",
            "prepare (prepare, prepare) -> [segment]",
            "segment (segment, segment) -> [export]");
  }

  @Test
  void aFileWithAPlatformSpecToo() {
    PipelineSpecs.Parsed parsed =
        PipelineSpecs.parse(
            KubeflowAdapterContractTest.pipeline("sleeps")
                + "\n---\nplatforms:\n  kubernetes:\n    deploymentSpec: {}\n");
    assertThat(PipelineSpecs.taskTitles(parsed.spec())).containsExactly("after", "wait");
  }

  @Test
  void whatIsNoPipelineSaysSo() {
    assertThat(PipelineSpecs.parse("a: [").problem()).startsWith("the definition is not YAML: ");
    assertThat(PipelineSpecs.parse("kind: WorkflowTemplate").problem())
        .startsWith("no pipeline spec is provided");
  }
}
