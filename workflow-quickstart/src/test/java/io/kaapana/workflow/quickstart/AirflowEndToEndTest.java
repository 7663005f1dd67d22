package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.airflow.AirflowServer;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product against a real Airflow: the service (in this JVM, on the embedded PostgreSQL),
 * an adapter runtime with the Airflow adapter as a separate OS process configured like a sidecar
 * (environment variables, the password in a file), and Airflow started by {@code
 * scripts/airflow/airflow-env.sh}, sharing its DAGs folder with the sidecar. Subclasses pick the
 * Airflow major version.
 */
abstract class AirflowEndToEndTest extends EndToEndSupport {
  private static final Duration SETTLE = Duration.ofSeconds(120);
  private static final Pattern PID = Pattern.compile("sleeping as pid (\\d+)");

  @TempDir Path work;

  private AirflowServer airflow;
  private String label;
  private RuntimeProcess runtime;

  abstract int major();

  @Override
  Duration settle() {
    return SETTLE;
  }

  @BeforeEach
  void startSidecar() throws Exception {
    airflow = AirflowServer.shared(major());
    connect("e2e-airflow");
    label = "af" + major() + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path passwordFile = work.resolve("airflow-password");
    Files.writeString(passwordFile, airflow.password() + "\n");
    runtime =
        startSidecar(
            "airflow",
            label,
            work.resolve("sidecar"),
            Map.of(
                "KAAPANA_AIRFLOW_URL", airflow.url(),
                "KAAPANA_AIRFLOW_USERNAME", airflow.username(),
                "KAAPANA_AIRFLOW_PASSWORD_FILE", passwordFile.toString(),
                "KAAPANA_AIRFLOW_DAGS_FOLDER", airflow.dagsFolder().toString(),
                "KAAPANA_AIRFLOW_POLL_INTERVAL", "500ms"));
  }

  @AfterEach
  void stopSidecar() throws InterruptedException {
    // A run left going (a failed test) would hold Airflow 2's one task slot: end it first.
    for (UUID id : started) {
      try {
        if (!settled(api.runs().get(id))) {
          api.runs().cancel(id, "end of test");
          await().atMost(SETTLE).until(() -> settled(api.runs().get(id)));
        }
      } catch (RuntimeException e) {
        // best effort: the test itself has failed already
      }
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void aThreeTaskDagCompletesWithItsTaskStatesAndLogs() {
    Workflow workflow = workflow("three-tasks", "three-tasks");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.VALID);
    assertThat(validated.tasks())
        .extracting(t -> t.title() + "->" + t.downstream() + " " + t.type())
        .containsExactlyInAnyOrder(
            "fetch->[convert] BashOperator",
            "convert->[report] BashOperator",
            "report->[] BashOperator");

    WorkflowRun run = start(workflow, Map.of("patient", "p-42"));
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);

    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.externalId()).endsWith("/kaapana__" + run.id());
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(done.taskRunCounts()).isEqualTo(Map.of("COMPLETED", 3));
    assertThat(api.runs().taskRuns(run.id(), Query.taskRuns()).items())
        .allSatisfy(
            t -> {
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt());
            });
    List<LogLine> fetch = logLines(run.id(), task(run.id(), "fetch"), 1);
    assertThat(fetch)
        .filteredOn(l -> l.message().equals("fetching 3 series for p-42"))
        .singleElement()
        .satisfies(l -> assertThat(l.severity().name()).isEqualTo("INFO"));
  }

  @Test
  void aMappedTaskIsOneTaskRunPerMapIndexWithItsOwnLog() {
    Workflow workflow = workflow("mapped", "mapped");
    WorkflowRun run = start(workflow, Map.of());
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(api.runs().taskRuns(run.id(), Query.taskRuns()).items())
        .extracting(t -> t.taskTitle() + " " + t.lifecycleStatus())
        .containsExactlyInAnyOrder(
            "list COMPLETED",
            "convert[0] COMPLETED",
            "convert[1] COMPLETED",
            "convert[2] COMPLETED");
    assertThat(logLines(run.id(), task(run.id(), "convert[1]"), 1))
        .extracting(LogLine::message)
        .contains("converting series 2")
        .doesNotContain("converting series 1", "converting series 3");
  }

  @Test
  void aFailingTaskGivesErrorAndRetryCompletesItInAttemptTwoWithBothLogs() {
    Workflow workflow = workflow("fails-once", "fails-once");
    WorkflowRun run = start(workflow, Map.of("fail_first", true));
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

    assertThat(logLines(run.id(), segment, 1))
        .extracting(LogLine::message)
        .contains("model weights not found");
    assertThat(logLines(run.id(), segment, 2))
        .extracting(LogLine::message)
        .contains("segmented 3 series on try 2")
        .doesNotContain("model weights not found");
  }

  @Test
  void cancelEndsTheRunAndStopsTheSleepingTaskProcess() {
    Workflow workflow = workflow("sleeps", "sleeps");
    WorkflowRun run = start(workflow, Map.of());
    TaskRun wait = awaitRunning(run.id(), "wait");
    long pid = awaitPid(run.id(), wait, PID);
    assertThat(alive(pid)).as("the task's shell runs").isTrue();

    api.runs().cancel(run.id(), "wrong series");
    WorkflowRun canceled = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(canceled.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(task(run.id(), "wait").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    assertThat(task(run.id(), "after").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(alive(pid)).as("task process %d", pid).isFalse());
  }

  @Test
  void aDagWithASyntaxErrorIsInvalidWithAirflowsImportError() {
    Workflow workflow = workflow("syntax-error", "syntax-error");
    Workflow validated = awaitValidation(workflow);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.INVALID);
    assertThat(String.join("\n", validated.validation().messages()))
        .contains("cannot import")
        .contains("SyntaxError");
    assertThatThrownBy(() -> start(workflow, Map.of()))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).endsWith("definition-invalid"));
  }

  @Test
  void archivingAWorkflowPausesItsDag() throws Exception {
    Workflow workflow = workflow("three-tasks", "archived");
    Workflow validated = awaitValidation(workflow);
    String dagId = api.workflows().revision(workflow.id(), 1).engineRef();
    assertThat(dagId).isEqualTo("kaapana__" + workflow.id() + "__v1");
    JsonNode deployed = dag(dagId);
    assertThat(deployed.path("is_paused").asBoolean()).as("unpaused when deployed").isFalse();
    assertThat(deployed.path("dag_display_name").asText()).isEqualTo(workflow.title());

    api.workflows().archive(validated.id());
    await()
        .atMost(SETTLE)
        .untilAsserted(() -> assertThat(dag(dagId).path("is_paused").asBoolean()).isTrue());
  }

  // --- helpers -------------------------------------------------------------------------------

  private Workflow workflow(String sample, String title) {
    return createWorkflow(title, "airflow", resource("/dags/" + sample + ".py"), null, label);
  }

  /** The DAG as Airflow itself reports it (straight from its REST API, not through ours). */
  private JsonNode dag(String dagId) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String authorization;
    if (major() == 2) {
      authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (airflow.username() + ":" + airflow.password())
                          .getBytes(StandardCharsets.UTF_8));
    } else {
      String body =
          new ObjectMapper()
              .writeValueAsString(
                  Map.of("username", airflow.username(), "password", airflow.password()));
      HttpResponse<String> token =
          http.send(
              HttpRequest.newBuilder(URI.create(airflow.url() + "/auth/token"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      authorization =
          "Bearer " + new ObjectMapper().readTree(token.body()).path("access_token").asText();
    }
    String api = major() == 2 ? "/api/v1" : "/api/v2";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(airflow.url() + api + "/dags/" + dagId))
                .header("Authorization", authorization)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }
}
