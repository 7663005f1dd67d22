package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every Argo behind the product must do, end to end: the service (in the test JVM, on the
 * embedded PostgreSQL) and an adapter runtime with the Argo adapter as a separate OS process
 * configured like a sidecar (environment variables, the token in a file), driven through the Java
 * client. Subclasses give the argo-server (the stub, or the real control plane) and what its tasks
 * write to their logs.
 */
abstract class ArgoEndToEndScenarios extends EndToEndSupport {

  @TempDir Path work;

  String label;
  RuntimeProcess runtime;

  /** The sidecar's {@code KAAPANA_ARGO_*} settings. */
  abstract Map<String, String> argoSettings() throws Exception;

  /** The lines a task of a sample writes in an attempt (run parameters as the scenario gives). */
  abstract List<String> logOf(String sample, String task, int attempt);

  /** The workflow as the argo-server holds it. */
  abstract JsonNode argoWorkflow(String name) throws Exception;

  abstract boolean templateExists(String name) throws Exception;

  /** Called while the sleeping task runs, and again once the run is canceled. */
  void whileTheTaskSleeps(WorkflowRun run, TaskRun wait) {}

  void afterTheCancel(WorkflowRun run) {}

  @BeforeEach
  void startSidecar() throws Exception {
    Map<String, String> settings = argoSettings();
    connect("e2e-" + getClass().getSimpleName());
    label = "argo-" + UUID.randomUUID().toString().substring(0, 8);
    runtime = startSidecar("argo", label, work.resolve("sidecar"), settings);
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
    assertThat(api.workflows().revision(workflow.id(), 1).engineRef())
        .isEqualTo("kaapana-" + workflow.id() + "-v1");

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
        .isEqualTo(logOf("three-tasks", "fetch", 1));
  }

  @Test
  void aFailingTaskGivesErrorAndRetryCompletesItInAttemptTwo() {
    Workflow workflow = workflow("fails-once", "fails-once");
    WorkflowRun run = start(workflow, Map.of("marker", work.resolve("segment-failed").toString()));
    WorkflowRun failed = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(failed.lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(failed.statusMessage()).contains("segment").contains("exit code 3");
    assertThat(failed.taskRunCounts())
        .isEqualTo(Map.of("COMPLETED", 1, "ERROR", 1, "UPSTREAM_FAILED", 1));
    assertThat(logLines(run.id(), task(run.id(), "segment"), 1))
        .extracting(LogLine::message)
        .isEqualTo(logOf("fails-once", "segment", 1));

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
    TaskRun export = task(run.id(), "export");
    assertThat(export.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(export.attempt()).as("export never ran before").isEqualTo(1);
    assertThat(logLines(run.id(), segment, 2))
        .extracting(LogLine::message)
        .isEqualTo(logOf("fails-once", "segment", 2));
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
    TaskRun wait = awaitRunning(run.id(), "wait");
    whileTheTaskSleeps(run, wait);

    api.runs().cancel(run.id(), "wrong series");
    WorkflowRun canceled = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(canceled.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(task(run.id(), "wait").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    assertThat(task(run.id(), "after").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    afterTheCancel(run);
    JsonNode stopped = argoWorkflow("kaapana-" + run.id());
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
    assertThat(templateExists(template)).isTrue();

    api.workflows().archive(workflow.id());
    await().atMost(settle()).untilAsserted(() -> assertThat(templateExists(template)).isFalse());
  }

  Workflow workflow(String sample, String title) {
    return createWorkflow(title, "argo", resource("/templates/" + sample + ".yaml"), null, label);
  }
}
