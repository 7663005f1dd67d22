package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.adapter.kubeflow.KfpServerStub;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.model.LogLine;
import io.kaapana.workflow.client.model.RetryScope;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.TaskRunState;
import io.kaapana.workflow.client.model.ValidationStatus;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product against Kubeflow Pipelines as far as this machine can have it: the service (in
 * this JVM, on the embedded PostgreSQL), an adapter runtime with the Kubeflow adapter as a separate
 * OS process configured like a sidecar (environment variables, the token in a file), and the stub
 * KFP API server, which checks every exchange against KFP 2.17's Swagger documents (and Argo's, for
 * the installation's argo-server that serves the pods' logs) and runs the compiled pipelines'
 * containers as local processes.
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class KubeflowEndToEndTest extends EndToEndSupport {
  private static final Pattern PID = Pattern.compile("sleeping as pid (\\d+)");
  private static KfpServerStub kfp;

  @TempDir Path work;

  private String label;
  private RuntimeProcess runtime;

  @Override
  Duration settle() {
    return Duration.ofSeconds(60);
  }

  @BeforeAll
  static void startKfp() throws IOException {
    kfp = KfpServerStub.start(Path.of("target", "kfp-stub-e2e").toAbsolutePath());
  }

  @AfterAll
  static void everyExchangeMatchedTheSwaggerDocuments() {
    try {
      assertThat(kfp.violations()).as("exchanges that depart from KFP's API").isEmpty();
    } finally {
      kfp.close();
    }
  }

  @BeforeEach
  void startSidecar() throws Exception {
    connect("e2e-kubeflow");
    label = "kubeflow-" + UUID.randomUUID().toString().substring(0, 8);
    Path tokenFile = Files.writeString(work.resolve("token"), kfp.token() + "\n");
    runtime =
        startSidecar(
            "kubeflow",
            label,
            work.resolve("sidecar"),
            // The stub serves the installation's argo-server too: logs come from the pods.
            Map.of(
                "KAAPANA_KUBEFLOW_URL", kfp.url(),
                "KAAPANA_KUBEFLOW_TOKEN_FILE", tokenFile.toString(),
                "KAAPANA_KUBEFLOW_ARGO_URL", kfp.url(),
                "KAAPANA_KUBEFLOW_ARGO_TOKEN_FILE", tokenFile.toString()));
  }

  @AfterEach
  void stopSidecar() throws InterruptedException {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aCompiledPipelineCompletesWithItsTaskGraphAndTaskStates() {
    Workflow workflow = workflow("three-tasks", "three-tasks");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.VALID);
    assertThat(validated.tasks())
        .extracting(t -> t.title() + "->" + t.downstream() + " " + t.type())
        .containsExactlyInAnyOrder(
            "fetch->[convert] fetch", "convert->[report] convert", "report->[] report");

    WorkflowRun run = start(workflow, Map.of("patient", "p-42"));
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);

    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(done.taskRunCounts()).isEqualTo(Map.of("COMPLETED", 3));
    assertThat(api.runs().taskRuns(run.id(), Query.taskRuns()).items())
        .allSatisfy(
            t -> {
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt());
            });
    assertThat(kfp.run(done.externalId()).path("display_name").asText())
        .isEqualTo("kaapana-" + run.id());
    assertThat(kfp.experimentOf(done.externalId()))
        .as("runs without the label")
        .isEqualTo("kaapana");
    assertThat(logLines(run.id(), task(run.id(), "fetch"), 1))
        .extracting(LogLine::message)
        .containsExactly("fetching 3 series for p-42", "done");
  }

  @Test
  void aFailingTaskGivesErrorAndRetryCompletesItInAttemptTwo() {
    Workflow workflow = workflow("fails-once", "fails-once");
    WorkflowRun run = start(workflow, Map.of("marker", work.resolve("segment-failed").toString()));
    WorkflowRun failed = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(failed.lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(failed.statusMessage()).contains("segment");
    assertThat(failed.taskRunCounts())
        .isEqualTo(Map.of("COMPLETED", 1, "ERROR", 1, "UPSTREAM_FAILED", 1));

    api.runs().retry(run.id(), RetryScope.FAILED, "weights restored");
    WorkflowRun done =
        awaitRun(run.id(), r -> r.attempt() == 2 && settled(r) && r.requestedAction() == null);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(task(run.id(), "prepare").attempt()).isEqualTo(1);
    TaskRun segment = task(run.id(), "segment");
    assertThat(segment.attempt()).isEqualTo(2);
    assertThat(segment.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(task(run.id(), "export").lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(task(run.id(), "export").attempt()).as("export never ran before").isEqualTo(1);
    assertThat(logLines(run.id(), segment, 2))
        .extracting(LogLine::message)
        .containsExactly("segmented on a later try");
    // KFP's retry replaced the failed pod: the first attempt's log is gone, and the API says so.
    assertThatThrownBy(() -> logLines(run.id(), segment, 1))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(404);
              assertThat(e.problem().detail()).contains("gone");
            });
  }

  @Test
  void cancelTerminatesTheRunAndItsTaskProcess() {
    Workflow workflow = workflow("sleeps", "sleeps");
    WorkflowRun run = start(workflow, Map.of());
    TaskRun wait = awaitRunning(run.id(), "wait");
    long pid = awaitPid(run.id(), wait, PID);
    assertThat(alive(pid)).as("the task's process runs").isTrue();

    api.runs().cancel(run.id(), "wrong series");
    WorkflowRun canceled = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(canceled.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(task(run.id(), "wait").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    assertThat(task(run.id(), "after").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    // KFP 2.17 reports a terminated run FAILED; the adapter read the workflow's termination.
    assertThat(kfp.run(canceled.externalId()).path("state").asText()).isEqualTo("FAILED");
    assertThat(alive(pid)).as("task process %d", pid).isFalse();
  }

  @Test
  void aSpecKfpRefusesIsInvalidWithKfpsMessage() {
    Workflow workflow = workflow("invalid", "invalid");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.INVALID);
    assertThat(validated.validation().messages())
        .containsExactly(
            "KFP only supports schema version 2.1.0, but the pipeline spec has version 2.0.0");
    assertThatThrownBy(() -> start(workflow, Map.of()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).endsWith("definition-invalid"));
  }

  @Test
  void runsLabelledWithAnExperimentLandInItAndArchivingDeletesThePipelineVersions() {
    Workflow workflow =
        api.workflows()
            .create(
                new io.kaapana.workflow.client.model.CreateWorkflow(
                    "experiments-" + label,
                    "kubeflow",
                    resource("/pipelines/three-tasks.yaml"),
                    null,
                    Map.of("e2e.test", label, "kaapana.experiment", "study-" + label),
                    null));
    awaitValidation(workflow);
    WorkflowRun run = start(workflow, Map.of());
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(kfp.experimentOf(done.externalId())).isEqualTo("study-" + label);
    String pipeline = "kaapana-" + workflow.id();
    assertThat(kfp.versionNames(pipeline)).containsExactly(pipeline + "-v1");

    api.workflows().archive(workflow.id());
    await().atMost(settle()).until(() -> kfp.versionNames(pipeline).isEmpty());
  }

  private Workflow workflow(String sample, String title) {
    return createWorkflow(
        title, "kubeflow", resource("/pipelines/" + sample + ".yaml"), null, label);
  }
}
