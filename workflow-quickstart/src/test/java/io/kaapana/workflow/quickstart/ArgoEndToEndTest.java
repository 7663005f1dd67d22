package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.adapter.argo.ArgoServerStub;
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
import java.util.List;
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
 * The whole product against Argo Workflows as far as this machine can have it: the service (in this
 * JVM, on the embedded PostgreSQL), an adapter runtime with the Argo adapter as a separate OS
 * process configured like a sidecar (environment variables, the token in a file), and the stub
 * argo-server, which checks every exchange against argo-server's Swagger documents and runs the
 * templates' commands as local processes.
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class ArgoEndToEndTest extends EndToEndSupport {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern PID = Pattern.compile("sleeping as pid (\\d+)");
  private static final String NAMESPACE = "kaapana-e2e";

  private static ArgoServerStub argo;

  @TempDir Path work;

  private String label;
  private RuntimeProcess runtime;

  @Override
  Duration settle() {
    return SETTLE;
  }

  @BeforeAll
  static void startArgo() throws IOException {
    argo =
        ArgoServerStub.start(
            Path.of("target", "argo-stub-e2e").toAbsolutePath(),
            ArgoServerStub.Options.defaults().withPodGcAfter(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void everyExchangeMatchedTheSwaggerDocuments() {
    try {
      assertThat(argo.violations()).as("exchanges that depart from argo-server's API").isEmpty();
    } finally {
      argo.close();
    }
  }

  @BeforeEach
  void startSidecar() throws Exception {
    connect("e2e-argo");
    label = "argo-" + UUID.randomUUID().toString().substring(0, 8);
    Path tokenFile = work.resolve("token");
    Files.writeString(tokenFile, argo.token() + "\n");
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
                "KAAPANA_ARGO_NAMESPACE", NAMESPACE,
                "KAAPANA_ARGO_TOKEN_FILE", tokenFile.toString()));
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
    assertThat(logLines(run.id(), task(run.id(), "segment"), 1))
        .extracting(LogLine::message)
        .containsExactly("model weights not found");

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
        .containsExactly("segmented on a later try");
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
  void cancelStopsTheRunItsTaskProcessAndRunsTheExitHandler() {
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
    assertThat(alive(pid)).as("task process %d", pid).isFalse();
    assertThat(
            argo.workflow(NAMESPACE, "kaapana-" + run.id()).path("spec").path("shutdown").asText())
        .as("a cancel without force stops the workflow, so its exit handler runs")
        .isEqualTo("Stop");
  }

  @Test
  void logsOfAFinishedRunAreServedFromTheArchiveOnceItsPodsAreGone() throws Exception {
    Workflow workflow = workflow("three-tasks", "archived-logs");
    WorkflowRun run = start(workflow, Map.of());
    awaitRun(run.id(), EndToEndSupport::settled);
    TaskRun fetch = task(run.id(), "fetch");
    List<LogLine> live = logLines(run.id(), fetch, 1);
    Thread.sleep(3_000); // the stub deletes pods 2 s after their workflow ended
    List<LogLine> archived = logLines(run.id(), fetch, 1);

    assertThat(archived).isEqualTo(live);
    assertThat(argo.requests())
        .anySatisfy(r -> assertThat(r).startsWith("GET /artifacts/" + NAMESPACE + "/kaapana-"));
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
  void archivingAWorkflowDeletesItsWorkflowTemplates() {
    Workflow workflow = workflow("three-tasks", "archived");
    awaitValidation(workflow);
    String template = api.workflows().revision(workflow.id(), 1).engineRef();
    assertThat(argo.templateNames(NAMESPACE)).contains(template);

    api.workflows().archive(workflow.id());
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(argo.templateNames(NAMESPACE)).doesNotContain(template));
  }

  // --- helpers -------------------------------------------------------------------------------

  private Workflow workflow(String sample, String title) {
    return createWorkflow(title, "argo", resource("/templates/" + sample + ".yaml"), null, label);
  }
}
