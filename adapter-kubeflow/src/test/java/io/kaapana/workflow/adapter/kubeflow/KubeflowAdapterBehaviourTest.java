package io.kaapana.workflow.adapter.kubeflow;

import static io.kaapana.workflow.adapter.kubeflow.KubeflowAdapterContractTest.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.tck.TestAdapterContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Kubeflow users rely on beyond the TCK, against the stub KFP API server. */
class KubeflowAdapterBehaviourTest {
  @TempDir Path directory;

  private KfpServerStub kfp;
  private WorkflowAdapter adapter;

  @BeforeEach
  void start() throws Exception {
    kfp = KfpServerStub.start(directory.resolve("kfp"));
    Files.writeString(directory.resolve("token"), kfp.token());
    adapter = adapter(true);
  }

  /** An adapter for the stub, with the installation's argo-server (the stub's) or without. */
  private WorkflowAdapter adapter(boolean withArgo) throws Exception {
    Path token = directory.resolve("token");
    AdapterConfig config =
        withArgo
            ? AdapterConfig.of(
                "kubeflow.url", kfp.url(),
                "kubeflow.token-file", token.toString(),
                "kubeflow.argo-url", kfp.url(),
                "kubeflow.argo-token-file", token.toString())
            : AdapterConfig.of("kubeflow.url", kfp.url(), "kubeflow.token-file", token.toString());
    return new KubeflowAdapterFactory()
        .create(config, new TestAdapterContext("kubeflow-behaviour", directory));
  }

  @AfterEach
  void stop() {
    adapter.close();
    try {
      assertThat(kfp.violations()).as("exchanges that depart from KFP's API").isEmpty();
    } finally {
      kfp.close();
    }
  }

  @Test
  void revisionsAreVersionsOfOnePipelinePerWorkflowAndKfpsUploadCheckSaysWhatIsWrong()
      throws Exception {
    String workflowId = UUID.randomUUID().toString();
    Deployment first = adapter.deploy(revision(workflowId, 1, "three-tasks"));
    Deployment second = adapter.deploy(revision(workflowId, 2, "sleeps"));
    assertThat(first.engineRef().split("/")[0]).isEqualTo(second.engineRef().split("/")[0]);
    assertThat(kfp.versionNames("kaapana-" + workflowId))
        .containsExactly("kaapana-" + workflowId + "-v1", "kaapana-" + workflowId + "-v2");

    Deployment invalid = adapter.deploy(revision(workflowId, 3, "invalid"));
    assertThat(invalid.valid()).isFalse();
    assertThat(invalid.messages())
        .containsExactly(
            "KFP only supports schema version 2.1.0, but the pipeline spec has version 2.0.0");
  }

  @Test
  void runsLandInTheExperimentTheirLabelNamesAndAResubmitFindsTheRun() throws Exception {
    RevisionSpec revision = revision(UUID.randomUUID().toString(), 1, "three-tasks");
    String engineRef = adapter.deploy(revision).engineRef();
    RunSpec study = run(revision, engineRef, Map.of("kaapana.experiment", "study-7"));
    RunSpec other = run(revision, engineRef, Map.of());
    String studyRun = adapter.submit(study);
    String otherRun = adapter.submit(other);
    assertThat(adapter.submit(study)).as("a second submit finds the first run").isEqualTo(studyRun);

    String studyExperiment = kfp.run(studyRun).path("experiment_id").asText();
    String otherExperiment = kfp.run(otherRun).path("experiment_id").asText();
    assertThat(studyExperiment).isNotEqualTo(otherExperiment);
    assertThat(kfp.requests()).filteredOn("POST /apis/v2beta1/experiments"::equals).hasSize(2);
    assertThat(kfp.run(studyRun).path("display_name").asText())
        .isEqualTo("kaapana-" + study.runId());
    // A run whose KFP id was never recorded (a crash after the submit) is found by its name.
    RunObservation found = adapter.observe(new RunRef(study.runId(), null, engineRef, 1));
    assertThat(found.externalId()).isEqualTo(studyRun);
  }

  @Test
  void aTerminatedRunIsCanceledWithItsTaskAndRetryRerunsIt() throws Exception {
    RevisionSpec revision = revision(UUID.randomUUID().toString(), 1, "sleeps");
    String engineRef = adapter.deploy(revision).engineRef();
    RunSpec run = run(revision, engineRef, Map.of());
    RunRef ref = new RunRef(run.runId(), adapter.submit(run), engineRef, 1);
    await(ref, o -> state(o, "wait") == EngineTaskState.RUNNING);
    assertThat(kfp.runningTasks()).hasSize(1);

    adapter.cancel(ref, false);
    RunObservation canceled = await(ref, o -> o.state().isSettled());
    assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);
    assertThat(canceled.tasks())
        .extracting(t -> t.taskTitle() + " " + t.state())
        .containsExactly("after CANCELED", "wait CANCELED");
    assertThat(kfp.runningTasks()).as("the task's process was killed").isEmpty();
    adapter.cancel(ref, true); // a canceled run: nothing to do
    assertThat(kfp.requests()).filteredOn(r -> r.endsWith(":terminate")).hasSize(1);

    assertThatThrownBy(() -> adapter.retry(run, RetryScope.ALL))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REJECTED));
    assertThat(adapter.retry(run, RetryScope.FAILED)).isEqualTo(2);
    RunRef second = new RunRef(ref.runId(), ref.externalId(), engineRef, 2);
    RunObservation again = await(second, o -> state(o, "wait") == EngineTaskState.RUNNING);
    assertThat(again.tasks())
        .filteredOn(t -> t.taskTitle().equals("wait"))
        .extracting(TaskObservation::attempt)
        .containsExactly(2);
    adapter.cancel(second, true);
    await(second, o -> o.state().isSettled());
  }

  @Test
  void withoutArgoServerATerminatedRunReadsAsFailedAndTheAdapterHasNoLogs() throws Exception {
    WorkflowAdapter blind = adapter(false);
    try {
      assertThat(blind.capabilities()).doesNotContain(Capability.LOGS, Capability.LOG_FOLLOW);
      RevisionSpec revision = revision(UUID.randomUUID().toString(), 1, "sleeps");
      String engineRef = blind.deploy(revision).engineRef();
      RunSpec run = run(revision, engineRef, Map.of());
      RunRef ref = new RunRef(run.runId(), blind.submit(run), engineRef, 1);
      awaitWith(blind, ref, o -> state(o, "wait") == EngineTaskState.RUNNING);
      blind.cancel(ref, false);
      RunObservation ended = awaitWith(blind, ref, o -> o.state().isSettled());
      // KFP 2.17 reports a terminated run FAILED; only its Argo workflow says it was terminated.
      assertThat(ended.state()).isEqualTo(EngineRunState.ERROR);
      assertThat(adapter.observe(ref).state())
          .as("the adapter with argo-server reads the workflow's shutdown")
          .isEqualTo(EngineRunState.CANCELED);
    } finally {
      blind.close();
    }
  }

  @Test
  void retiringAWorkflowDeletesItsPipelineVersions() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    String first = adapter.deploy(revision(workflowId, 1, "three-tasks")).engineRef();
    String second = adapter.deploy(revision(workflowId, 2, "three-tasks")).engineRef();
    adapter.retire(workflowId, List.of(first, second));
    adapter.retire(workflowId, List.of(first, second)); // again: already gone, no failure
    assertThat(kfp.versionNames("kaapana-" + workflowId)).isEmpty();
  }

  @Test
  void aRetiredVersionsRunsAreStillObservedAndASubmitUploadsTheRevisionAgain() throws Exception {
    RevisionSpec revision = revision(UUID.randomUUID().toString(), 1, "three-tasks");
    String engineRef = adapter.deploy(revision).engineRef();
    RunSpec first = run(revision, engineRef, Map.of());
    RunRef firstRef = new RunRef(first.runId(), adapter.submit(first), engineRef, 1);
    adapter.retire(revision.workflowId(), List.of(engineRef));

    // Another replica, which never deployed the version, finds it gone: the run's details tell.
    WorkflowAdapter other = adapter(true);
    try {
      RunObservation done = awaitWith(other, firstRef, o -> o.state().isSettled());
      assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
      assertThat(done.tasks())
          .extracting(TaskObservation::taskTitle)
          .containsExactlyInAnyOrder("fetch", "convert", "report");

      // A run of the retired revision (started before the archive reached KFP): uploaded again.
      RunSpec late = run(revision, engineRef, Map.of());
      String lateRun = other.submit(late);
      assertThat(kfp.versionNames("kaapana-" + revision.workflowId()))
          .containsExactly("kaapana-" + revision.workflowId() + "-v1");
      assertThat(kfp.run(lateRun).path("pipeline_version_id").asText())
          .isNotEqualTo(engineRef.split("/")[1]);
    } finally {
      other.close();
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static RevisionSpec revision(String workflowId, int increment, String sample) {
    return new RevisionSpec(workflowId, increment, sample, pipeline(sample), null, Map.of());
  }

  private static RunSpec run(RevisionSpec revision, String engineRef, Map<String, String> labels) {
    return new RunSpec(
        new RunRef(UUID.randomUUID().toString(), null, engineRef, 1),
        revision,
        Map.of(),
        labels,
        List.of());
  }

  private RunObservation await(RunRef ref, Predicate<RunObservation> condition) throws Exception {
    return awaitWith(adapter, ref, condition);
  }

  private static RunObservation awaitWith(
      WorkflowAdapter adapter, RunRef ref, Predicate<RunObservation> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    RunObservation last = null;
    while (System.nanoTime() < deadline) {
      last = adapter.observe(ref);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached in time; last seen: " + last);
  }

  private static EngineTaskState state(RunObservation observation, String title) {
    return observation.tasks().stream()
        .filter(t -> t.taskTitle().equals(title))
        .map(TaskObservation::state)
        .findFirst()
        .orElse(null);
  }
}
