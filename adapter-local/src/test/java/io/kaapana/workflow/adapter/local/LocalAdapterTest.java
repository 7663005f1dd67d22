package io.kaapana.workflow.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local engine does beyond the TCK: process trees, restarts, switched-off commands. */
class LocalAdapterTest {
  @TempDir Path data;

  private WorkflowAdapter adapter(boolean allowCommands) throws Exception {
    AdapterContext context =
        new AdapterContext() {
          @Override
          public String instanceId() {
            return "test";
          }

          @Override
          public Path dataDirectory() {
            return data;
          }

          @Override
          public Clock clock() {
            return Clock.systemUTC();
          }

          @Override
          public void runChanged(String runId) {}
        };
    return new LocalAdapterFactory()
        .create(
            AdapterConfig.of(
                "local.allow-commands", Boolean.toString(allowCommands), "local.kill-grace", "1s"),
            context);
  }

  private static RunSpec run(String definition) {
    RevisionSpec revision =
        new RevisionSpec(UUID.randomUUID().toString(), 1, "t", definition, null, Map.of());
    return new RunSpec(
        new RunRef(UUID.randomUUID().toString(), null, "ref", 1),
        revision,
        Map.of(),
        Map.of(),
        List.of());
  }

  private static RunObservation await(
      WorkflowAdapter adapter, RunRef ref, Predicate<RunObservation> condition) throws Exception {
    for (int i = 0; i < 300; i++) {
      RunObservation o = adapter.observe(ref);
      if (condition.test(o)) {
        return o;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out; last: " + adapter.observe(ref));
  }

  private static long childPid(Path pidFile) throws Exception {
    for (int i = 0; i < 100 && !Files.exists(pidFile); i++) {
      Thread.sleep(50);
    }
    for (int i = 0; i < 100 && Files.readString(pidFile).isBlank(); i++) {
      Thread.sleep(50);
    }
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  @Test
  void cancelKillsTheWholeProcessTree() throws Exception {
    Path pidFile = data.resolve("grandchild.pid");
    try (WorkflowAdapter adapter = adapter(true)) {
      // The shell starts a grandchild that ignores nothing special; both must go.
      RunSpec spec =
          run(
              "tasks: [{name: sleeper, command: [sh, -c, 'sleep 600 & echo $! > "
                  + pidFile
                  + "; wait']}]");
      RunRef ref = new RunRef(spec.runId(), adapter.submit(spec), "ref", 1);
      long grandchild = childPid(pidFile);
      assertThat(ProcessHandle.of(grandchild)).isPresent();

      adapter.cancel(ref, false);
      RunObservation canceled = await(adapter, ref, o -> o.state().isSettled());
      assertThat(canceled.state()).isEqualTo(EngineRunState.CANCELED);
      for (int i = 0;
          i < 50 && ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false);
          i++) {
        Thread.sleep(100);
      }
      assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false))
          .as("the grandchild process is gone")
          .isFalse();
    }
  }

  @Test
  void commandsAreRefusedUnlessSwitchedOn() throws Exception {
    try (WorkflowAdapter adapter = adapter(false)) {
      RunSpec spec = run("tasks: [{name: a, command: [echo, hi]}]");
      assertThat(adapter.deploy(spec.revision()).valid()).isTrue();
      assertThatThrownBy(() -> adapter.submit(spec))
          .isInstanceOfSatisfying(
              AdapterException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.REJECTED);
                assertThat(e.getMessage()).contains("local.allow-commands=true");
              });
    }
  }

  @Test
  void aRestartedEngineReportsTheLostRunAndStopsItsOrphansAndRetryResumesIt() throws Exception {
    Path pidFile = data.resolve("orphan.pid");
    Path marker = data.resolve("second-time");
    String definition =
        "tasks: [{name: first, command: [echo, one]}, {name: second, command: [sh, -c, 'if [ -e "
            + marker
            + " ]; then echo resumed; else touch "
            + marker
            + "; sleep 600 & echo $! > "
            + pidFile
            + "; wait; fi'], depends_on: [first]}, {name: third, command: [echo, three],"
            + " depends_on: [second]}]";
    RunSpec spec = run(definition);
    RunRef ref;
    WorkflowAdapter first = adapter(true);
    ref = new RunRef(spec.runId(), first.submit(spec), "ref", 1);
    await(
        first,
        ref,
        o ->
            o.tasks().stream()
                .anyMatch(
                    t -> t.state() == EngineTaskState.RUNNING && t.taskTitle().equals("second")));
    long orphan = childPid(pidFile);
    // A crash leaves processes behind; simulate one by dropping the engine without close().

    try (WorkflowAdapter second = adapter(true)) {
      RunObservation lost = second.observe(ref);
      assertThat(lost.state()).isEqualTo(EngineRunState.ERROR);
      assertThat(lost.message()).contains("local engine restarted").contains("second");
      assertThat(lost.tasks())
          .filteredOn(t -> t.taskTitle().equals("first"))
          .singleElement()
          .satisfies(t -> assertThat(t.state()).isEqualTo(EngineTaskState.COMPLETED));
      assertThat(lost.tasks())
          .extracting(t -> t.taskTitle() + ":" + t.state())
          .containsExactly("first:COMPLETED", "second:ERROR", "third:UPSTREAM_FAILED");
      for (int i = 0;
          i < 50 && ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false);
          i++) {
        Thread.sleep(100);
      }
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
          .as("the orphaned process was stopped")
          .isFalse();

      int attempt = second.retry(spec, RetryScope.FAILED);
      assertThat(attempt).isEqualTo(2);
      RunRef again = new RunRef(ref.runId(), ref.externalId(), "ref", attempt);
      RunObservation done = await(second, again, o -> o.state().isSettled());
      assertThat(done.state()).isEqualTo(EngineRunState.COMPLETED);
      assertThat(done.tasks())
          .extracting(t -> t.taskTitle() + "#" + t.attempt())
          .containsExactly("first#1", "second#2", "third#2");
      LogPage log = second.readLogs(new LogQuery(again, "second", null, 2, null, 100));
      assertThat(log.lines()).extracting(LogPage.LogLine::message).contains("resumed");
    } finally {
      first.close();
    }
  }

  @Test
  void aRunWhoseStateIsElsewhereIsReportedLostNotUnknown() throws Exception {
    try (WorkflowAdapter adapter = adapter(true)) {
      RunRef ref = new RunRef(UUID.randomUUID().toString(), "local-elsewhere", "ref", 1);
      RunObservation lost = adapter.observe(ref);
      assertThat(lost.state()).isEqualTo(EngineRunState.ERROR);
      assertThat(lost.message()).startsWith("local engine restarted");
    }
  }

  @Test
  void aTaskThatOutlivesItsTimeoutFailsAndAutomaticRetriesCountAttempts() throws Exception {
    try (WorkflowAdapter adapter = adapter(true)) {
      RunSpec spec =
          run("tasks: [{name: slow, command: [sleep, '30'], timeout_seconds: 1, retries: 1}]");
      RunRef ref = new RunRef(spec.runId(), adapter.submit(spec), "ref", 1);
      RunObservation done = await(adapter, ref, o -> o.state().isSettled());
      assertThat(done.state()).isEqualTo(EngineRunState.ERROR);
      assertThat(done.tasks().get(0).attempt()).isEqualTo(2);
      assertThat(done.tasks().get(0).message()).isEqualTo("timed out after 1 s");
      assertThat(done.message()).isEqualTo("task 'slow' failed: timed out after 1 s");
      LogPage first = adapter.readLogs(new LogQuery(ref, "slow", null, 1, null, 100));
      assertThat(first.complete()).isTrue();
      assertThat(first.lines())
          .last()
          .satisfies(l -> assertThat(l.message()).isEqualTo("timed out after 1 s"));
    }
  }
}
