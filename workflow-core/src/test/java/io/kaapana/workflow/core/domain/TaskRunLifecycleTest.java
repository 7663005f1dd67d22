package io.kaapana.workflow.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskRunLifecycleTest {
  private static final UUID RUN = UUID.randomUUID();
  private final List<DomainEvent> events = new ArrayList<>();
  private Instant now = Instant.parse("2026-12-03T06:00:00Z");

  private TaskRun report(TaskRun current, TaskRunState state, int attempt, String message) {
    now = now.plusSeconds(1);
    return TaskRunLifecycle.apply(
            current,
            new TaskRunReport("segment", state, attempt, null, null, null, message),
            RUN,
            UUID::randomUUID,
            "test",
            now,
            events)
        .orElse(current);
  }

  @Test
  void aMessageLastsWhileItsStateDoesAndNotIntoTheNextAttempt() {
    TaskRun failed = report(null, TaskRunState.ERROR, 1, "exit code 3");
    assertThat(report(failed, TaskRunState.ERROR, 1, null).statusMessage())
        .as("a later report of the same state without a message")
        .isEqualTo("exit code 3");
    TaskRun retried = report(failed, TaskRunState.RUNNING, 2, null);
    assertThat(retried.statusMessage()).isNull();
    TaskRun done = report(retried, TaskRunState.COMPLETED, 2, null);
    assertThat(done.statusMessage()).isNull();
    assertThat(done.attempt()).isEqualTo(2);
  }

  @Test
  void aTaskThatNeverRanLosesItsUpstreamMessageWhenItRunsAfterARetry() {
    TaskRun blocked =
        report(null, TaskRunState.UPSTREAM_FAILED, 1, "upstream task 'segment' did not complete");
    TaskRun running = report(blocked, TaskRunState.RUNNING, 1, null);
    assertThat(running.state()).isEqualTo(TaskRunState.RUNNING);
    assertThat(running.statusMessage()).isNull();
    assertThat(report(running, TaskRunState.COMPLETED, 1, "42 series").statusMessage())
        .isEqualTo("42 series");
  }
}
