package io.kaapana.workflow.quickstart;

import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.LogLine;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.TaskRunState;
import io.kaapana.workflow.client.model.ValidationStatus;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowReference;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the end-to-end tests share: the client of the service under test and the questions they ask
 * it again and again, each waiting at most {@link #settle()}.
 */
abstract class EndToEndSupport {

  @TestHTTPResource("/")
  URL apiUrl;

  WorkflowApiClient api;

  /** Every run a test started through {@link #start}, newest last. */
  final List<UUID> started = new java.util.ArrayList<>();

  /** How long a run may take to reach what a test waits for. */
  abstract Duration settle();

  void connect(String actor) {
    api = WorkflowApiClient.builder(URI.create(apiUrl.toString())).actor(actor).build();
  }

  /**
   * An adapter runtime of {@code kind} as a sidecar process (id {@code <kind>-<label>}, serving the
   * runs labelled {@code e2e.test=<label>}, lease 10 s), configured by {@code environment}, once
   * its adapter is active.
   */
  RuntimeProcess startSidecar(
      String kind, String label, Path dataDirectory, Map<String, String> environment)
      throws java.io.IOException {
    RuntimeProcess runtime =
        RuntimeProcess.start(
            apiUrl, kind, kind + "-" + label, "e2e.test=" + label, dataDirectory, 10, environment);
    awaitActive(runtime);
    return runtime;
  }

  /** Waits until the runtime has registered and its adapter is active. */
  void awaitActive(RuntimeProcess runtime) {
    await()
        .atMost(settle())
        .until(
            () ->
                api.adapters().list().stream()
                    .anyMatch(a -> a.id().equals(runtime.id) && a.status().equals("ACTIVE")));
  }

  /** A workflow for one engine, labelled {@code e2e.test=<label>} for the test's adapter. */
  Workflow createWorkflow(
      String title, String engine, String definition, Map<String, Object> schema, String label) {
    return api.workflows()
        .create(
            new CreateWorkflow(
                title + "-" + label, engine, definition, schema, Map.of("e2e.test", label), null));
  }

  WorkflowRun start(Workflow workflow, Map<String, Object> parameters) {
    WorkflowRun run =
        api.runs()
            .create(new CreateWorkflowRun(WorkflowReference.byId(workflow.id()), parameters, null));
    started.add(run.id());
    return run;
  }

  /** A text file from the test class path (sample definitions of the adapters' test-jars). */
  static String resource(String path) {
    try (java.io.InputStream in = EndToEndSupport.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no " + path + " on the test class path");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Workflow awaitValidation(Workflow workflow) {
    return await()
        .atMost(settle())
        .until(
            () -> api.workflows().get(workflow.id()),
            w -> w.validation().status() != ValidationStatus.PENDING);
  }

  WorkflowRun awaitRun(UUID id, Predicate<WorkflowRun> condition) {
    return await()
        .atMost(settle())
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.runs().get(id), condition::test);
  }

  TaskRun task(UUID runId, String title) {
    return api.runs().taskRuns(runId, Query.taskRuns().taskTitle(title)).items().get(0);
  }

  /** The task run once it runs (task runs appear with the holder's first report). */
  TaskRun awaitRunning(UUID runId, String title) {
    return await()
        .atMost(settle())
        .until(
            () -> api.runs().taskRuns(runId, Query.taskRuns().taskTitle(title)).items(),
            l -> !l.isEmpty() && l.get(0).lifecycleStatus() == TaskRunState.RUNNING)
        .get(0);
  }

  List<LogLine> logLines(UUID runId, TaskRun task, int attempt) {
    return api.runs().logs(runId, task.id(), attempt, null, 1000).lines();
  }

  /** The pid a task wrote into the log of its first attempt (group 1 of {@code pattern}). */
  long awaitPid(UUID runId, TaskRun task, Pattern pattern) {
    return await()
        .atMost(settle())
        .until(() -> firstNumber(logLines(runId, task, 1), pattern), pid -> pid != null);
  }

  private static Long firstNumber(List<LogLine> lines, Pattern pattern) {
    for (LogLine line : lines) {
      Matcher m = pattern.matcher(line.message());
      if (m.find()) {
        return Long.parseLong(m.group(1));
      }
    }
    return null;
  }

  static boolean settled(WorkflowRun run) {
    return run.lifecycleStatus() == RunState.COMPLETED
        || run.lifecycleStatus() == RunState.ERROR
        || run.lifecycleStatus() == RunState.CANCELED;
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
