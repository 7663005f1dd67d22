package io.kaapana.workflow.adapter.spi.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every engine adapter fulfils (the TCK). An adapter module extends this class as
 * {@code <Engine>AdapterContractTest} and supplies a configuration and sample definitions in its
 * engine's language; the test methods are final, so every adapter is held to the same contract.
 *
 * <p>The capabilities the adapter declares drive the suite: a declared capability must work, and
 * the method behind an undeclared one must fail with {@link ErrorCode#UNSUPPORTED}.
 */
public abstract class WorkflowAdapterContractTest {

  /** How long a sample run may take to settle. Engines that start slowly may override it. */
  protected Duration settleTimeout() {
    return Duration.ofSeconds(60);
  }

  /** The configuration of an adapter working in the given empty directory. */
  protected abstract AdapterConfig config(Path workDirectory);

  /** Sample definitions in the engine's language; see {@link Samples}. */
  protected abstract Samples samples(Path workDirectory);

  /** The id of the factory under test; it must be found through {@link ServiceLoader}. */
  protected abstract String factoryId();

  /**
   * Sample workflows the suite runs.
   *
   * @param succeeding a workflow of at least three tasks that completes
   * @param succeedingTasks the titles of its tasks
   * @param succeedingLogText text the first of its tasks writes to its log
   * @param failingOnce a workflow with one task that fails on its first attempt and succeeds on a
   *     later one (given {@code failingOnceParameters})
   * @param failingOnceParameters the run parameters for it
   * @param failingTask the title of the task that fails once
   * @param longRunning a workflow whose task writes a line ending in {@code longRunningLogText} at
   *     once, then nothing more, and runs for minutes unless stopped
   * @param longRunningTask the title of that task
   * @param longRunningLogText the line it writes first
   * @param invalid a definition the engine refuses
   */
  public record Samples(
      RevisionSpec succeeding,
      List<String> succeedingTasks,
      String succeedingLogText,
      RevisionSpec failingOnce,
      Map<String, Object> failingOnceParameters,
      String failingTask,
      RevisionSpec longRunning,
      String longRunningTask,
      String longRunningLogText,
      RevisionSpec invalid) {}

  @TempDir Path workDirectory;

  private WorkflowAdapterFactory factory;
  private WorkflowAdapter adapter;
  private Samples samples;

  @BeforeEach
  final void createAdapter() throws Exception {
    factory = findFactory(factoryId());
    Path data = Files.createDirectories(workDirectory.resolve("adapter-data"));
    AdapterConfig config = config(workDirectory);
    assertThat(factory.validate(config)).as("problems with the test configuration").isEmpty();
    adapter = factory.create(config, new TestAdapterContext("tck-" + factory.id(), data));
    samples = samples(workDirectory);
  }

  @AfterEach
  final void closeAdapter() {
    if (adapter != null) {
      adapter.close();
    }
  }

  /** The factory with that id; exactly one must be registered. */
  static WorkflowAdapterFactory findFactory(String id) {
    List<WorkflowAdapterFactory> found =
        ServiceLoader.load(WorkflowAdapterFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(f -> f.id().equals(id))
            .toList();
    assertThat(found).as("factories registered with id " + id).hasSize(1);
    return found.get(0);
  }

  @Test
  final void factoryIdIsLowerCaseAndStable() {
    assertThat(factory.id()).matches("[a-z][a-z0-9-]*");
    assertThat(findFactory(factory.id()).id()).isEqualTo(factory.id());
    assertThat(factory.workflowEngine()).isNotBlank();
  }

  @Test
  final void unreadableConfigurationValuesAreProblemsNotExceptions() {
    Map<String, String> broken = new java.util.HashMap<>(config(workDirectory).asMap());
    for (String key : List.copyOf(broken.keySet())) {
      broken.put(key, "\u0000not a value\u0000");
    }
    // Whatever the keys mean, validating must answer with messages rather than throw.
    List<String> problems = factory.validate(new AdapterConfig(broken));
    assertThat(problems).isNotNull();
  }

  @Test
  final void deployingAValidDefinitionGivesItsTaskGraphAndIsIdempotent() throws Exception {
    Deployment first = adapter.deploy(samples.succeeding());
    assertThat(first.valid()).as("valid; messages: %s", first.messages()).isTrue();
    assertThat(first.engineRef()).isNotBlank();
    assertThat(first.tasks())
        .extracting(Deployment.TaskNode::title)
        .containsExactlyInAnyOrderElementsOf(samples.succeedingTasks());
    Set<String> titles = Set.copyOf(samples.succeedingTasks());
    assertThat(first.tasks()).allSatisfy(task -> assertThat(titles).containsAll(task.downstream()));

    Deployment second = adapter.deploy(samples.succeeding());
    assertThat(second.valid()).isTrue();
    assertThat(second.engineRef()).isEqualTo(first.engineRef());
  }

  @Test
  final void deployingAnInvalidDefinitionSaysWhy() throws Exception {
    Deployment deployment = adapter.deploy(samples.invalid());
    if (adapter.capabilities().contains(Capability.VALIDATE)) {
      assertThat(deployment.valid()).isFalse();
      assertThat(deployment.messages()).isNotEmpty().allSatisfy(m -> assertThat(m).isNotBlank());
      assertThat(deployment.engineRef()).isNull();
    } else {
      assertThat(deployment).isNotNull();
    }
  }

  @Test
  final void aSubmittedRunCompletesWithEveryTaskAndItsTimes() throws Exception {
    RunSpec run = newRun(samples.succeeding(), Map.of());
    String externalId = adapter.submit(run);
    assertThat(externalId).isNotBlank();

    RunObservation done = awaitRun(refOf(run, externalId), o -> o.state().isSettled());
    assertThat(done.state())
        .as("run state; message: %s", done.message())
        .isEqualTo(EngineRunState.COMPLETED);
    assertThat(done.runId()).isEqualTo(run.runId());
    assertThat(done.externalId()).isEqualTo(externalId);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.startedAt()).isNotNull();
    assertThat(done.finishedAt()).isNotNull().isAfterOrEqualTo(done.startedAt());
    assertThat(done.tasks())
        .extracting(TaskObservation::taskTitle)
        .containsExactlyInAnyOrderElementsOf(samples.succeedingTasks());
    assertThat(done.tasks())
        .allSatisfy(
            task -> {
              assertThat(task.state()).isEqualTo(EngineTaskState.COMPLETED);
              assertThat(task.attempt()).isEqualTo(1);
              assertThat(task.startedAt()).isNotNull();
              assertThat(task.finishedAt()).isNotNull().isAfterOrEqualTo(task.startedAt());
            });
  }

  @Test
  final void submittingTheSameRunAgainFindsTheFirstOne() throws Exception {
    RunSpec run = newRun(samples.succeeding(), Map.of());
    String first = adapter.submit(run);
    String second = adapter.submit(run);
    assertThat(second).isEqualTo(first);

    RunObservation done = awaitRun(refOf(run, first), o -> o.state().isSettled());
    assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
    // One engine run: every task ran once.
    assertThat(done.tasks()).allSatisfy(task -> assertThat(task.attempt()).isEqualTo(1));
  }

  @Test
  final void unknownRunsAreNotFoundAndLeftOutOfBatches() throws Exception {
    RunRef unknown = new RunRef(UUID.randomUUID().toString(), null, null, 1);
    assertThatThrownBy(() -> adapter.observe(unknown))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));

    RunSpec run = newRun(samples.succeeding(), Map.of());
    RunRef known = refOf(run, adapter.submit(run));
    List<RunObservation> batch = adapter.observeAll(List.of(unknown, known));
    assertThat(batch).extracting(RunObservation::runId).containsExactly(run.runId());
  }

  @Test
  final void cancelStopsARunningRun() throws Exception {
    RunSpec run = newRun(samples.longRunning(), Map.of());
    RunRef ref = refOf(run, adapter.submit(run));
    if (!adapter.capabilities().contains(Capability.CANCEL)) {
      assertUnsupported(() -> adapter.cancel(ref, false));
      return;
    }
    awaitRun(ref, o -> taskState(o, samples.longRunningTask()) == EngineTaskState.RUNNING);
    adapter.cancel(ref, false);
    RunObservation canceled = awaitRun(ref, o -> o.state().isSettled());
    assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);
    assertThat(taskState(canceled, samples.longRunningTask())).isEqualTo(EngineTaskState.CANCELED);
    assertThat(canceled.finishedAt()).isNotNull();

    adapter.cancel(ref, true); // cancelling a settled run is a no-op
    assertThat(adapter.observe(ref).state()).isEqualTo(EngineRunState.CANCELED);
  }

  @Test
  final void retryRerunsWhatFailedAndKeepsWhatCompleted() throws Exception {
    RunSpec run = newRun(samples.failingOnce(), samples.failingOnceParameters());
    RunRef ref = refOf(run, adapter.submit(run));
    RunObservation failed = awaitRun(ref, o -> o.state().isSettled());
    assertThat(failed.state()).isEqualTo(EngineRunState.ERROR);
    assertThat(taskState(failed, samples.failingTask())).isEqualTo(EngineTaskState.ERROR);
    if (!adapter.capabilities().contains(Capability.RETRY_RUN)) {
      assertUnsupported(() -> adapter.retry(run, RetryScope.FAILED));
      return;
    }
    List<String> completedBefore =
        failed.tasks().stream()
            .filter(t -> t.state() == EngineTaskState.COMPLETED)
            .map(TaskObservation::taskTitle)
            .toList();

    int attempt = adapter.retry(withKnownTasks(run, ref, failed), RetryScope.FAILED);
    assertThat(attempt).isEqualTo(2);
    RunRef second = new RunRef(ref.runId(), ref.externalId(), ref.engineRef(), attempt);
    RunObservation done = awaitRun(second, o -> o.attempt() == 2 && o.state().isSettled());
    assertThat(done.state()).as("message: %s", done.message()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(task(done, samples.failingTask()).attempt()).isEqualTo(2);
    for (String title : completedBefore) {
      assertThat(task(done, title).attempt())
          .as("attempt of %s, which had completed", title)
          .isEqualTo(1);
    }
  }

  @Test
  final void retryOfOneTaskRerunsIt() throws Exception {
    RunSpec run = newRun(samples.failingOnce(), samples.failingOnceParameters());
    RunRef ref = refOf(run, adapter.submit(run));
    RunObservation failed = awaitRun(ref, o -> o.state().isSettled());
    assertThat(failed.state()).isEqualTo(EngineRunState.ERROR);
    if (!adapter.capabilities().contains(Capability.RETRY_TASK)) {
      assertUnsupported(() -> adapter.retryTask(run, samples.failingTask()));
      return;
    }
    int attempt = adapter.retryTask(withKnownTasks(run, ref, failed), samples.failingTask());
    assertThat(attempt).isEqualTo(2);
    RunRef second = new RunRef(ref.runId(), ref.externalId(), ref.engineRef(), attempt);
    RunObservation done = awaitRun(second, o -> o.attempt() == 2 && o.state().isSettled());
    assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
    assertThat(task(done, samples.failingTask()).attempt()).isEqualTo(2);
    assertThat(task(done, samples.failingTask()).state()).isEqualTo(EngineTaskState.COMPLETED);
  }

  @Test
  final void logsArePagedWithCursorsWithoutLossOrRepeats() throws Exception {
    RunSpec run = newRun(samples.succeeding(), Map.of());
    RunRef ref = refOf(run, adapter.submit(run));
    String firstTask = samples.succeedingTasks().get(0);
    if (!adapter.capabilities().contains(Capability.LOGS)) {
      assertUnsupported(() -> adapter.readLogs(new LogQuery(ref, firstTask, null, 1, null, 10)));
      return;
    }
    awaitRun(ref, o -> o.state().isSettled());

    LogPage whole = adapter.readLogs(new LogQuery(ref, firstTask, null, 1, null, 10_000));
    assertThat(whole.complete()).isTrue();
    List<String> all = whole.lines().stream().map(LogPage.LogLine::message).toList();
    assertThat(String.join("\n", all)).contains(samples.succeedingLogText());

    List<String> paged = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page <= all.size() + 1; page++) {
      LogPage next = adapter.readLogs(new LogQuery(ref, firstTask, null, 1, cursor, 1));
      assertThat(next.lines()).hasSizeLessThanOrEqualTo(1);
      next.lines().forEach(line -> paged.add(line.message()));
      cursor = next.nextCursor();
      if (next.lines().isEmpty()) {
        assertThat(next.complete()).isTrue();
        break;
      }
    }
    assertThat(paged).isEqualTo(all);

    assertThatThrownBy(() -> adapter.readLogs(new LogQuery(ref, firstTask, null, 99, null, 10)))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(
            () -> adapter.readLogs(new LogQuery(ref, firstTask, null, 1, "not-a-cursor!", 10)))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  final void followingALogWaitsForLinesWhileTheTaskRuns() throws Exception {
    RunSpec run = newRun(samples.longRunning(), Map.of());
    RunRef ref = refOf(run, adapter.submit(run));
    String task = samples.longRunningTask();
    LogQuery fromStart = new LogQuery(ref, task, null, 1, null, 100);
    if (!adapter.capabilities().contains(Capability.LOG_FOLLOW)) {
      assertUnsupported(() -> adapter.followLogs(fromStart, Duration.ofSeconds(1)));
      return;
    }
    awaitRun(ref, o -> taskState(o, task) == EngineTaskState.RUNNING);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    long deadline = System.nanoTime() + settleTimeout().toNanos();
    // endsWith: the engine may prefix the line, and may log the command that contains the text.
    while (seen.stream().noneMatch(m -> m.endsWith(samples.longRunningLogText()))) {
      assertThat(System.nanoTime()).as("waited for the first line").isLessThan(deadline);
      LogPage page =
          adapter.followLogs(new LogQuery(ref, task, null, 1, cursor, 100), Duration.ofSeconds(5));
      page.lines().forEach(line -> seen.add(line.message()));
      cursor = page.nextCursor();
    }

    long started = System.nanoTime();
    LogPage idle =
        adapter.followLogs(new LogQuery(ref, task, null, 1, cursor, 100), Duration.ofMillis(800));
    assertThat(idle.complete()).as("the task still runs").isFalse();
    assertThat(idle.lines()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("a follow waits for new lines")
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));

    if (adapter.capabilities().contains(Capability.CANCEL)) {
      adapter.cancel(ref, true);
      awaitRun(ref, o -> o.state().isSettled());
    }
  }

  @Test
  final void closeIsIdempotent() {
    adapter.close();
    adapter.close();
    adapter = null;
  }

  // --- helpers -----------------------------------------------------------------------------

  private RunSpec newRun(RevisionSpec revision, Map<String, Object> parameters) throws Exception {
    Deployment deployment = adapter.deploy(revision);
    assertThat(deployment.valid()).as("sample is valid: %s", deployment.messages()).isTrue();
    RunRef ref = new RunRef(UUID.randomUUID().toString(), null, deployment.engineRef(), 1);
    return new RunSpec(ref, revision, parameters, Map.of("tck", "true"), List.of());
  }

  private static RunRef refOf(RunSpec run, String externalId) {
    return new RunRef(run.runId(), externalId, run.ref().engineRef(), run.ref().attempt());
  }

  private static RunSpec withKnownTasks(RunSpec run, RunRef ref, RunObservation observed) {
    return new RunSpec(ref, run.revision(), run.parameters(), run.labels(), observed.tasks());
  }

  private RunObservation awaitRun(RunRef ref, Predicate<RunObservation> condition)
      throws Exception {
    long deadline = System.nanoTime() + settleTimeout().toNanos();
    RunObservation last = null;
    while (System.nanoTime() < deadline) {
      last = adapter.observe(ref);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run did not reach the expected state in time; last seen: " + last);
  }

  private static TaskObservation task(RunObservation observation, String title) {
    return observation.tasks().stream()
        .filter(t -> t.taskTitle().equals(title))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no task "
                        + title
                        + " in "
                        + observation.tasks().stream()
                            .map(TaskObservation::taskTitle)
                            .collect(Collectors.joining(", "))));
  }

  private static EngineTaskState taskState(RunObservation observation, String title) {
    return observation.tasks().stream()
        .filter(t -> t.taskTitle().equals(title))
        .map(TaskObservation::state)
        .findFirst()
        .orElse(null);
  }

  private interface AdapterCall {
    void run() throws Exception;
  }

  private static void assertUnsupported(AdapterCall call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
  }
}
