package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.adapter.argo.RealArgo;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product against a real argo-server, workflow controller and Kubernetes API ({@link
 * RealArgo}; kwok plays the pods): the service in this JVM on the embedded PostgreSQL, and an
 * adapter runtime with the Argo adapter as a separate OS process configured like a sidecar, with a
 * service-account token that has exactly the documented Role. What kwok cannot play (processes of
 * tasks, archived logs of collected pods) is left to {@link ArgoEndToEndTest} and its stub.
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class RealArgoEndToEndTest extends EndToEndSupport {
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final List<String> SIMULATED_LOG =
      List.of(
          RealArgo.FIRST_LOG_LINE,
          "a second line of the simulated container",
          RealArgo.LAST_LOG_LINE);

  @TempDir Path work;

  private RealArgo argo;
  private String label;
  private RuntimeProcess runtime;

  @Override
  Duration settle() {
    return SETTLE;
  }

  @BeforeEach
  void startSidecar() throws Exception {
    argo = RealArgo.shared();
    connect("e2e-real-argo");
    label = "real-argo-" + UUID.randomUUID().toString().substring(0, 8);
    runtime =
        RuntimeProcess.start(
            apiUrl,
            "argo",
            "argo-" + label,
            "e2e.test=" + label,
            work.resolve("sidecar"),
            10,
            Map.of(
                "KAAPANA_ARGO_URL", argo.url(),
                "KAAPANA_ARGO_NAMESPACE", argo.namespace(),
                "KAAPANA_ARGO_TOKEN_FILE", argo.tokenFile().toString()));
    awaitActive(runtime);
  }

  @AfterEach
  void stopSidecar() throws InterruptedException {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aThreeTaskTemplateCompletesWithItsTaskStatesAndLogs() {
    Workflow workflow = workflow("three-tasks", "three-tasks");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.VALID);
    assertThat(validated.tasks())
        .extracting(t -> t.title() + "->" + t.downstream() + " " + t.type())
        .containsExactlyInAnyOrder(
            "fetch->[convert] say", "convert->[report] say", "report->[] say");

    WorkflowRun run = start(workflow, Map.of("patient", "p-42"));
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);

    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.externalId()).isEqualTo("kaapana-" + run.id());
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(done.taskRunCounts()).isEqualTo(Map.of("COMPLETED", 3));
    assertThat(api.runs().taskRuns(run.id(), Query.taskRuns()).items())
        .allSatisfy(
            t -> {
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt());
            });
    assertThat(logLines(run.id(), task(run.id(), "fetch"), 1))
        .extracting(LogLine::message)
        .isEqualTo(SIMULATED_LOG);
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
    assertThat(task(run.id(), "prepare").attempt())
        .as("the completed task did not run again")
        .isEqualTo(1);
    TaskRun segment = task(run.id(), "segment");
    assertThat(segment.attempt()).isEqualTo(2);
    assertThat(segment.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(task(run.id(), "export").lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(logLines(run.id(), segment, 2))
        .extracting(LogLine::message)
        .isEqualTo(SIMULATED_LOG);
    // Argo's retry replaced the failed pod: the first attempt's log is gone, and the API says so.
    assertThatThrownBy(() -> logLines(run.id(), segment, 1))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> {
              assertThat(e.problem().status()).isEqualTo(404);
              assertThat(e.problem().detail()).contains("gone from Argo");
            });
  }

  @Test
  void cancelStopsTheRunAndArgoRunsTheExitHandler() throws Exception {
    Workflow workflow = workflow("sleeps", "sleeps");
    WorkflowRun run = start(workflow, Map.of());
    awaitRunning(run.id(), "wait");

    api.runs().cancel(run.id(), "wrong series");
    WorkflowRun canceled = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(canceled.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(task(run.id(), "wait").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    assertThat(task(run.id(), "after").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    var stopped = argo.workflow("kaapana-" + run.id());
    assertThat(stopped.path("spec").path("shutdown").asText())
        .as("a cancel without force stops the workflow, so its exit handler runs")
        .isEqualTo("Stop");
    assertThat(stopped.path("status").path("nodes").findValuesAsText("displayName"))
        .contains("kaapana-" + run.id() + ".onExit");
  }

  @Test
  void aTemplateArgoRefusesIsInvalidWithArgosMessage() {
    Workflow workflow = workflow("undefined-template", "undefined-template");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.INVALID);
    assertThat(String.join("\n", validated.validation().messages()))
        .contains("template name 'nowhere' undefined");
    assertThatThrownBy(() -> start(workflow, Map.of()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).endsWith("definition-invalid"));
  }

  @Test
  void archivingAWorkflowDeletesItsWorkflowTemplates() throws Exception {
    Workflow workflow = workflow("three-tasks", "archived");
    awaitValidation(workflow);
    String template = api.workflows().revision(workflow.id(), 1).engineRef();
    assertThat(argo.templateExists(template)).isTrue();

    api.workflows().archive(workflow.id());
    await().atMost(SETTLE).untilAsserted(() -> assertThat(argo.templateExists(template)).isFalse());
  }

  private Workflow workflow(String sample, String title) {
    return createWorkflow(title, "argo", resource("/templates/" + sample + ".yaml"), null, label);
  }
}
