package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.Subscription;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.LogLine;
import io.kaapana.workflow.client.model.LogPage;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product through HTTP only: the service (in this JVM, on a real embedded PostgreSQL) and
 * adapter runtimes with the local engine as separate OS processes, driven with the Java client.
 * Each test labels its workflows and gives its runtimes a selector for that label, so tests never
 * work on each other's runs.
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class LocalEngineEndToEndTest extends EndToEndSupport {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Pattern PID = Pattern.compile("child (\\d+)");

  @TempDir Path work;

  private String label;
  private final List<RuntimeProcess> runtimes = new ArrayList<>();

  @Override
  Duration settle() {
    return SETTLE;
  }

  @BeforeEach
  void client() {
    connect("e2e");
    label = "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stopRuntimes() throws InterruptedException {
    for (RuntimeProcess runtime : runtimes) {
      runtime.close();
    }
  }

  private RuntimeProcess runtime(String name, Path data, int leaseSeconds) throws Exception {
    RuntimeProcess runtime =
        RuntimeProcess.start(apiUrl, name + "-" + label, "e2e.test=" + label, data, leaseSeconds);
    runtimes.add(runtime);
    awaitActive(runtime);
    return runtime;
  }

  private Workflow workflow(String title, String definition, Map<String, Object> schema) {
    return createWorkflow(title, "local", definition, schema, label);
  }

  private List<Event> history(UUID runId) {
    return api.runs().history(runId, 0, 500).items();
  }

  /** The pid a task wrote as {@code child <pid>} into the log of its first attempt. */
  private long awaitChildPid(UUID runId, TaskRun task) {
    return awaitPid(runId, task, PID);
  }

  @Test
  void aRunGoesFromCreatedToCompletedWithItsTaskStatesAndLogs() throws Exception {
    runtime("a", work.resolve("a"), 10);
    Workflow workflow =
        workflow(
            "three-steps",
            """
            tasks:
              - {name: fetch, command: [sh, -c, 'echo "fetching ${params.series}"']}
              - {name: convert, command: [sh, -c, 'echo converting; echo "a warning" >&2'], depends_on: [fetch]}
              - {name: report, command: [echo, report ready], depends_on: [convert]}
            """,
            Map.of("type", "object", "properties", Map.of("series", Map.of("type", "string"))));
    Workflow validated =
        await()
            .atMost(SETTLE)
            .until(
                () -> api.workflows().get(workflow.id()),
                w -> w.validation().status() != ValidationStatus.PENDING);
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.VALID);
    assertThat(validated.tasks())
        .extracting(t -> t.title() + "->" + t.downstream())
        .containsExactly("fetch->[convert]", "convert->[report]", "report->[]");

    WorkflowRun created = start(workflow, Map.of("series", "1.2.840.1"));
    assertThat(created.lifecycleStatus()).isEqualTo(RunState.CREATED);
    WorkflowRun done = awaitRun(created.id(), EndToEndSupport::settled);

    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.externalId()).isEqualTo("local-" + created.id());
    assertThat(done.adapterId()).isEqualTo("a-" + label);
    assertThat(done.startedAt()).isNotNull();
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
    assertThat(done.taskRunCounts()).isEqualTo(Map.of("COMPLETED", 3));
    List<TaskRun> tasks = api.runs().taskRuns(created.id(), Query.taskRuns()).items();
    assertThat(tasks)
        .allSatisfy(
            t -> {
              assertThat(t.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
              assertThat(t.attempt()).isEqualTo(1);
              assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt());
            });
    List<String> runStates =
        history(created.id()).stream()
            .filter(e -> e.type().equals("workflow_run.status_changed"))
            .map(Event::to)
            .toList();
    assertThat(runStates).last().isEqualTo("COMPLETED");

    List<LogLine> fetch = logLines(created.id(), task(created.id(), "fetch"), 1);
    assertThat(fetch).extracting(LogLine::message).contains("fetching 1.2.840.1", "exit code 0");
    List<LogLine> convert = logLines(created.id(), task(created.id(), "convert"), 1);
    assertThat(convert)
        .filteredOn(l -> l.message().equals("a warning"))
        .singleElement()
        .satisfies(l -> assertThat(l.metadata()).containsEntry("stream", "stderr"));
  }

  @Test
  void aFailingTaskGivesErrorAndRetryCompletesItInAttemptTwo() throws Exception {
    runtime("a", work.resolve("a"), 10);
    Workflow workflow =
        workflow(
            "flaky",
            """
            tasks:
              - {name: prepare, command: [echo, prepared]}
              - name: segment
                command: [sh, -c, 'if [ "${params.fail}" = true ] && [ "$KAAPANA_TASK_ATTEMPT" = 1 ]; then echo "no weights" >&2; exit 3; fi; echo segmented']
                depends_on: [prepare]
              - {name: export, command: [echo, exported], depends_on: [segment]}
            """,
            Map.of("type", "object", "properties", Map.of("fail", Map.of("type", "boolean"))));
    WorkflowRun run = start(workflow, Map.of("fail", true));
    WorkflowRun failed = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(failed.lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(failed.statusMessage()).contains("segment").contains("exit code 3");
    assertThat(failed.taskRunCounts())
        .isEqualTo(Map.of("COMPLETED", 1, "ERROR", 1, "UPSTREAM_FAILED", 1));

    WorkflowRun requested = api.runs().retry(run.id(), RetryScope.FAILED, "weights restored");
    assertThat(requested.requestedAction()).isNotNull();
    WorkflowRun done =
        awaitRun(run.id(), r -> r.attempt() == 2 && settled(r) && r.requestedAction() == null);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.statusMessage()).isNull();
    assertThat(task(run.id(), "prepare").attempt())
        .as("the completed task did not run again")
        .isEqualTo(1);
    TaskRun segment = task(run.id(), "segment");
    assertThat(segment.attempt()).isEqualTo(2);
    assertThat(segment.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    assertThat(logLines(run.id(), segment, 1))
        .extracting(LogLine::message)
        .contains("no weights", "exit code 3");
    assertThat(logLines(run.id(), segment, 2)).extracting(LogLine::message).contains("segmented");
    assertThat(history(run.id()))
        .extracting(Event::type)
        .contains("workflow_run.action_requested", "workflow_run.action_completed");
  }

  @Test
  void cancelOfASleepingTaskEndsTheRunAndItsProcesses() throws Exception {
    runtime("a", work.resolve("a"), 10);
    Workflow workflow =
        workflow(
            "sleeper",
            """
            tasks:
              - {name: sleep, command: [sh, -c, 'sleep 300 & echo "child $!"; wait']}
              - {name: after, command: [echo, never], depends_on: [sleep]}
            """,
            Map.of("type", "object"));
    WorkflowRun run = start(workflow, Map.of());
    awaitRun(run.id(), r -> r.lifecycleStatus() == RunState.RUNNING);
    TaskRun sleeping = awaitRunning(run.id(), "sleep");
    long child = awaitChildPid(run.id(), sleeping);
    assertThat(alive(child)).isTrue();

    WorkflowRun requested = api.runs().cancel(run.id(), "no longer needed");
    assertThat(requested.requestedAction()).isNotNull();
    WorkflowRun canceled = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(canceled.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(canceled.requestedAction()).isNull();
    assertThat(task(run.id(), "sleep").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    assertThat(task(run.id(), "after").lifecycleStatus()).isEqualTo(TaskRunState.CANCELED);
    await().atMost(Duration.ofSeconds(15)).until(() -> !alive(child));
  }

  @Test
  void aRunWaitsOutAnEngineOutageAndSaysWhy() throws Exception {
    RuntimeProcess runtime =
        RuntimeProcess.start(
            apiUrl,
            "unreachable-at-first",
            "outage-" + label,
            "e2e.test=" + label,
            work.resolve("o"),
            10);
    runtimes.add(runtime);
    Workflow workflow =
        workflow(
            "outage", "tasks: [{name: only, command: [echo, finally]}]", Map.of("type", "object"));
    WorkflowRun run = start(workflow, Map.of());
    WorkflowRun waiting =
        awaitRun(
            run.id(), r -> r.statusMessage() != null && r.statusMessage().contains("unavailable"));
    assertThat(waiting.lifecycleStatus()).isEqualTo(RunState.CREATED);
    assertThat(waiting.statusMessage()).contains("simulated outage").contains("retrying in");
    WorkflowRun done = awaitRun(run.id(), EndToEndSupport::settled);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(done.statusMessage()).as("the outage is over").isNull();
    assertThat(done.externalId()).isEqualTo("local-" + run.id());
  }

  @Test
  void anInvalidDefinitionGivesAnInvalidRevisionAndRefusedRuns() throws Exception {
    runtime("a", work.resolve("a"), 10);
    Workflow workflow =
        workflow(
            "cyclic",
            """
            tasks:
              - {name: a, command: [echo, a], depends_on: [b]}
              - {name: b, command: [echo, '${params.missing}'], depends_on: [a]}
            """,
            Map.of("type", "object"));
    Workflow checked =
        await()
            .atMost(SETTLE)
            .until(
                () -> api.workflows().get(workflow.id()),
                w -> w.validation().status() != ValidationStatus.PENDING);
    assertThat(checked.validation().status()).isEqualTo(ValidationStatus.INVALID);
    assertThat(checked.validation().messages())
        .anySatisfy(m -> assertThat(m).contains("unknown parameter 'missing'"));
    assertThat(checked.validation().adapterId()).isEqualTo("a-" + label);

    assertThatThrownBy(() -> start(workflow, Map.of()))
        .isInstanceOfSatisfying(
            ProblemException.ConflictException.class,
            e -> assertThat(e.code()).isEqualTo("definition-invalid"));
  }

  @Test
  void aKilledRuntimesRunIsTakenOverWithNothingLostOrDuplicated() throws Exception {
    Path shared = work.resolve("shared");
    RuntimeProcess first = runtime("first", shared, 3);
    Workflow workflow =
        workflow(
            "takeover",
            """
            tasks:
              - {name: before, command: [echo, before]}
              - name: long
                command: [sh, -c, 'if [ "$KAAPANA_TASK_ATTEMPT" = 1 ]; then sleep 300 & echo "child $!"; wait; fi; echo resumed']
                depends_on: [before]
              - {name: after, command: [echo, after], depends_on: [long]}
            """,
            Map.of("type", "object"));
    WorkflowRun run = start(workflow, Map.of());
    TaskRun running = awaitRunning(run.id(), "long");
    long orphan = awaitChildPid(run.id(), running);

    first.kill9();
    Instant killed = Instant.now();
    assertThat(alive(orphan)).as("a killed runtime leaves its task processes behind").isTrue();
    RuntimeProcess second = runtime("second", shared, 3);

    WorkflowRun lost = awaitRun(run.id(), r -> second.id.equals(r.adapterId()) && settled(r));
    Duration handover = Duration.between(killed, Instant.now());
    assertThat(lost.lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(lost.statusMessage()).contains("local engine restarted");
    await().atMost(Duration.ofSeconds(15)).until(() -> !alive(orphan));
    List<Event> events = history(run.id());
    assertThat(events)
        .filteredOn(e -> e.type().equals("workflow_run.claimed"))
        .extracting(Event::to)
        .containsExactly(first.id, second.id);
    Instant claimedBySecond =
        events.stream()
            .filter(e -> e.type().equals("workflow_run.claimed") && second.id.equals(e.to()))
            .findFirst()
            .orElseThrow()
            .createdAt();
    System.out.printf(
        "e2e: run claimed by the second runtime %d ms after kill -9 of the first (lease 3 s),"
            + " reported lost after %d ms%n",
        Duration.between(killed, claimedBySecond).toMillis(), handover.toMillis());

    api.runs().retry(run.id(), RetryScope.FAILED, "resume after the crash");
    WorkflowRun done =
        awaitRun(run.id(), r -> r.attempt() == 2 && settled(r) && r.requestedAction() == null);
    assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(
            Stream.of("before", "long", "after")
                .map(
                    t ->
                        t
                            + "#"
                            + task(run.id(), t).attempt()
                            + ":"
                            + task(run.id(), t).lifecycleStatus()))
        .containsExactly("before#1:COMPLETED", "long#2:COMPLETED", "after#2:COMPLETED");
    // The first attempt's log, written by the killed runtime, is still readable.
    assertThat(logLines(run.id(), task(run.id(), "long"), 1))
        .extracting(LogLine::message)
        .anySatisfy(m -> assertThat(m).startsWith("child "));
    assertThat(logLines(run.id(), task(run.id(), "long"), 2))
        .extracting(LogLine::message)
        .contains("resumed");
    assertThat(history(run.id()))
        .filteredOn(e -> e.type().equals("workflow_run.created"))
        .hasSize(1);
  }

  @Test
  void twoRuntimeReplicasNeverWorkTheSameRun() throws Exception {
    RuntimeProcess one = runtime("one", work.resolve("one"), 10);
    RuntimeProcess two = runtime("two", work.resolve("two"), 10);
    Workflow workflow =
        workflow(
            "many",
            """
            tasks:
              - {name: a, command: [sh, -c, 'echo a; sleep 0.3']}
              - {name: b, command: [echo, b], depends_on: [a]}
            """,
            Map.of("type", "object"));
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ids.add(start(workflow, Map.of()).id());
    }
    for (UUID id : ids) {
      WorkflowRun done = awaitRun(id, EndToEndSupport::settled);
      assertThat(done.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
      assertThat(done.adapterId()).isIn(one.id, two.id);
      assertThat(history(id)).filteredOn(e -> e.type().equals("workflow_run.claimed")).hasSize(1);
      boolean inOne = Files.exists(one.dataDirectory.resolve("runs").resolve(id.toString()));
      boolean inTwo = Files.exists(two.dataDirectory.resolve("runs").resolve(id.toString()));
      assertThat(inOne ^ inTwo).as("run %s ran in exactly one engine", id).isTrue();
      assertThat(inOne ? one.id : two.id).isEqualTo(done.adapterId());
    }
    long byOne =
        ids.stream()
            .filter(id -> Files.exists(one.dataDirectory.resolve("runs").resolve(id.toString())))
            .count();
    System.out.printf(
        "e2e: replica one ran %d of %d runs, replica two %d%n",
        byOne, ids.size(), ids.size() - byOne);
  }

  @Test
  void followingALogOverSseDeliversLinesWhileTheTaskRuns() throws Exception {
    runtime("a", work.resolve("a"), 10);
    Workflow workflow =
        workflow(
            "chatty",
            """
            tasks:
              - {name: talk, command: [sh, -c, 'for i in 1 2 3 4 5 6; do echo "line $i"; sleep 0.5; done']}
            """,
            Map.of("type", "object"));
    WorkflowRun run = start(workflow, Map.of());
    TaskRun talk = awaitRunning(run.id(), "talk");

    record Received(String message, Instant written, Instant at) {}
    List<Received> received = new CopyOnWriteArrayList<>();
    try (Subscription follow =
        api.runs()
            .followLogs(
                run.id(),
                talk.id(),
                1,
                line -> received.add(new Received(line.message(), line.time(), Instant.now())))) {
      follow.done().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
    }
    TaskRun finished = task(run.id(), "talk");
    assertThat(finished.lifecycleStatus()).isEqualTo(TaskRunState.COMPLETED);
    List<String> messages =
        received.stream().map(Received::message).filter(m -> m.startsWith("line ")).toList();
    assertThat(messages)
        .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6");
    Instant firstLine =
        received.stream().filter(r -> r.message().equals("line 1")).findFirst().orElseThrow().at();
    assertThat(firstLine)
        .as("line 1 arrived while the task still ran")
        .isBefore(finished.finishedAt());
    long slowest =
        received.stream()
            .filter(r -> r.message().startsWith("line "))
            .mapToLong(r -> Duration.between(r.written(), r.at()).toMillis())
            .max()
            .orElseThrow();
    System.out.printf(
        "e2e: followed log lines arrived at most %d ms after they were written%n", slowest);

    LogPage page = api.runs().logs(run.id(), talk.id(), 1, null, 2);
    assertThat(page.lines()).hasSize(2);
    LogPage rest = api.runs().logs(run.id(), talk.id(), 1, page.nextCursor(), 100);
    assertThat(rest.complete()).isTrue();
    assertThatThrownBy(() -> api.runs().logs(run.id(), talk.id(), 1, "not-a-cursor", 10))
        .isInstanceOf(ProblemException.InvalidRequestException.class);
  }
}
