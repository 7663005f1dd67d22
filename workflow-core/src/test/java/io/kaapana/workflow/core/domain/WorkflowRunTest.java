package io.kaapana.workflow.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The run state machine of lifecycle.md, on the domain object alone. */
class WorkflowRunTest {
  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private final List<DomainEvent> events = new ArrayList<>();

  private static WorkflowRun run(RunState state, String adapterId) {
    return WorkflowRun.restore()
        .id(UUID.randomUUID())
        .workflowId(UUID.randomUUID())
        .workflowTitle("wf")
        .revisionIncrement(1)
        .workflowEngine("local")
        .state(state)
        .adapterId(adapterId)
        .leaseToken(adapterId == null ? null : UUID.randomUUID())
        .createdAt(NOW)
        .updatedAt(NOW)
        .finishedAt(state.isSettled() ? NOW : null)
        .build();
  }

  private static StatusReport report(WorkflowRun run, RunState state, int attempt) {
    return report(run, state, attempt, null);
  }

  private static StatusReport report(WorkflowRun run, RunState state, int attempt, String message) {
    return new StatusReport(
        run.leaseToken(), state, attempt, null, message, null, null, null, List.of());
  }

  @ParameterizedTest
  @EnumSource(RunState.class)
  void cancelIsAllowedExactlyOnActiveRuns(RunState state) {
    WorkflowRun run = run(state, "a");
    if (state.isActive()) {
      assertThat(run.request(ActionRequest.cancel(false, null), "u", NOW, events))
          .isEqualTo(WorkflowRun.RequestOutcome.ACCEPTED);
      assertThat(run.requestedAction()).isEqualTo(RequestedAction.CANCEL);
    } else {
      assertThatThrownBy(() -> run.request(ActionRequest.cancel(false, null), "u", NOW, events))
          .isInstanceOfSatisfying(
              WorkflowApiException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TRANSITION));
    }
  }

  @ParameterizedTest
  @EnumSource(RunState.class)
  void retryIsAllowedExactlyOnErrorAndCanceled(RunState state) {
    WorkflowRun run = run(state, "a");
    if (state == RunState.ERROR || state == RunState.CANCELED) {
      assertThat(run.request(ActionRequest.retry(null, null), "u", NOW, events))
          .isEqualTo(WorkflowRun.RequestOutcome.ACCEPTED);
      assertThat(run.actionRequest().scope()).isEqualTo(RetryScope.FAILED);
    } else {
      assertThatThrownBy(() -> run.request(ActionRequest.retry(null, null), "u", NOW, events))
          .isInstanceOf(WorkflowApiException.class);
    }
  }

  @Test
  void cancelOfAnUnheldCreatedRunSettlesIt() {
    WorkflowRun run = run(RunState.CREATED, null);
    assertThat(run.request(ActionRequest.cancel(false, "x"), "u", NOW, events))
        .isEqualTo(WorkflowRun.RequestOutcome.APPLIED);
    assertThat(run.state()).isEqualTo(RunState.CANCELED);
    assertThat(run.finishedAt()).isEqualTo(NOW);
    assertThat(run.awaitingClaim()).isFalse();
  }

  @Test
  void aCancelReplacesAPendingRetryAndWithoutHolderWithdrawsIt() {
    WorkflowRun held = run(RunState.ERROR, "a");
    held.request(ActionRequest.retry(null, null), "u", NOW, events);
    assertThat(held.request(ActionRequest.cancel(false, null), "u", NOW, events))
        .isEqualTo(WorkflowRun.RequestOutcome.ACCEPTED);
    assertThat(held.requestedAction()).isEqualTo(RequestedAction.CANCEL);
    WorkflowRun unheld = run(RunState.ERROR, null);
    unheld.request(ActionRequest.retry(null, null), "u", NOW, events);
    assertThat(unheld.request(ActionRequest.cancel(false, null), "u", NOW, events))
        .isEqualTo(WorkflowRun.RequestOutcome.APPLIED);
    assertThat(unheld.requestedAction()).isNull();
    assertThat(unheld.state()).isEqualTo(RunState.ERROR);
  }

  @Test
  void reportsOnlyMoveForwardWithinAnAttempt() {
    WorkflowRun run = run(RunState.CREATED, "a");
    run.applyReport(report(run, RunState.RUNNING, 1), "a", NOW, events);
    run.applyReport(report(run, RunState.SCHEDULED, 1), "a", NOW, events);
    assertThat(run.state()).isEqualTo(RunState.RUNNING);
    assertThat(run.startedAt()).isEqualTo(NOW);
    run.applyReport(report(run, RunState.ERROR, 1), "a", NOW, events);
    run.applyReport(report(run, RunState.COMPLETED, 1), "a", NOW, events);
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    run.applyReport(report(run, RunState.RUNNING, 0), "a", NOW, events);
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(events).extracting(DomainEvent::to).containsExactly("RUNNING", "ERROR");
  }

  @Test
  void aNewAttemptDropsTheFailureMessageOfTheLastOne() {
    WorkflowRun run = run(RunState.CREATED, "a");
    run.applyReport(report(run, RunState.ERROR, 1, "task 'x' failed"), "a", NOW, events);
    assertThat(run.statusMessage()).isEqualTo("task 'x' failed");
    run.request(ActionRequest.retry(null, null), "u", NOW, events);
    run.applyReport(report(run, RunState.RUNNING, 2), "a", NOW, events);
    assertThat(run.statusMessage()).isNull();
    assertThat(run.attempt()).isEqualTo(2);
    assertThat(run.requestedAction()).isNull();
  }

  @Test
  void theRunStartsWhenTheEngineStartedItNotWhenTheReportArrived() {
    WorkflowRun run = run(RunState.CREATED, "a");
    Instant engineStart = NOW.minusSeconds(5);
    run.applyReport(
        new StatusReport(
            run.leaseToken(), RunState.RUNNING, 1, null, null, engineStart, null, null, List.of()),
        "a",
        NOW,
        events);
    assertThat(run.startedAt()).isEqualTo(engineStart);
  }

  @Test
  void aStateChangeReplacesTheMessageAndAReportWithoutChangeKeepsIt() {
    WorkflowRun run = run(RunState.CREATED, "a");
    run.applyReport(report(run, RunState.CREATED, 1, "engine unavailable"), "a", NOW, events);
    assertThat(run.statusMessage()).isEqualTo("engine unavailable");
    run.applyReport(report(run, RunState.RUNNING, 1), "a", NOW, events);
    assertThat(run.statusMessage()).isNull();
    run.applyReport(report(run, RunState.RUNNING, 1, "2 of 3 tasks done"), "a", NOW, events);
    run.applyReport(report(run, RunState.RUNNING, 1), "a", NOW, events);
    assertThat(run.statusMessage()).isEqualTo("2 of 3 tasks done");
  }

  @Test
  void aSettledRunEndsAPendingCancel() {
    WorkflowRun run = run(RunState.RUNNING, "a");
    run.request(ActionRequest.cancel(true, null), "u", NOW, events);
    run.applyReport(report(run, RunState.CANCELED, 1), "a", NOW, events);
    assertThat(run.requestedAction()).isNull();
    assertThat(run.state()).isEqualTo(RunState.CANCELED);
  }

  @Test
  void claimKeepsEventsAndTheLeaseCheckFollowsTheToken() {
    WorkflowRun run = run(RunState.CREATED, null);
    UUID token = UUID.randomUUID();
    run.claim("b", token, NOW, events);
    run.checkLease(token);
    assertThatThrownBy(() -> run.checkLease(UUID.randomUUID()))
        .isInstanceOfSatisfying(
            WorkflowApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEASE_LOST));
    assertThat(events).extracting(DomainEvent::type).containsExactly(DomainEvent.RUN_CLAIMED);
  }

  @Test
  void aTaskThatNeverRanTakesItsAttemptWhenItRunsAfterARetry() {
    UUID runId = UUID.randomUUID();
    var upstreamFailed =
        applyTask(
                null,
                new TaskRunReport("export", TaskRunState.UPSTREAM_FAILED, 1, null, null, NOW, null),
                runId)
            .orElseThrow();
    assertThat(upstreamFailed.startedAt()).isNull();

    // Airflow's first try of a task whose upstream failed before is still try 1.
    var running =
        applyTask(
                upstreamFailed,
                new TaskRunReport("export", TaskRunState.RUNNING, 1, null, NOW, null, null),
                runId)
            .orElseThrow();
    assertThat(running.state()).isEqualTo(TaskRunState.RUNNING);
    assertThat(running.finishedAt()).isNull();
    assertThat(running.attempt()).isEqualTo(1);

    var completed =
        applyTask(
                running,
                new TaskRunReport("export", TaskRunState.COMPLETED, 1, null, NOW, NOW, null),
                runId)
            .orElseThrow();
    assertThat(completed.state()).isEqualTo(TaskRunState.COMPLETED);
    // A task that ran keeps its settled state within the attempt.
    assertThat(
            applyTask(
                completed,
                new TaskRunReport("export", TaskRunState.RUNNING, 1, null, NOW, null, null),
                runId))
        .isEmpty();
  }

  @Test
  void taskRunsMoveForwardAndTakeNewAttempts() {
    UUID runId = UUID.randomUUID();
    var created =
        applyTask(
                null, new TaskRunReport("a", TaskRunState.RUNNING, 1, "x", NOW, null, null), runId)
            .orElseThrow();
    assertThat(
            applyTask(
                created,
                new TaskRunReport("a", TaskRunState.PENDING, 1, null, null, null, null),
                runId))
        .isEmpty();
    var failed =
        applyTask(
                created,
                new TaskRunReport("a", TaskRunState.ERROR, 1, null, null, null, "exit 1"),
                runId)
            .orElseThrow();
    assertThat(failed.finishedAt()).isEqualTo(NOW);
    var retried =
        applyTask(
                failed,
                new TaskRunReport("a", TaskRunState.RUNNING, 2, null, null, null, null),
                runId)
            .orElseThrow();
    assertThat(retried.attempt()).isEqualTo(2);
    assertThat(retried.finishedAt()).isNull();
    assertThat(retried.id()).isEqualTo(created.id());
    assertThat(retried.startedAt())
        .as("a running task without a reported start starts now")
        .isEqualTo(NOW);
    assertThat(
            applyTask(
                retried,
                new TaskRunReport("a", TaskRunState.COMPLETED, 1, null, null, null, null),
                runId))
        .isEmpty();
  }

  private java.util.Optional<TaskRun> applyTask(TaskRun current, TaskRunReport report, UUID runId) {
    return TaskRunLifecycle.apply(current, report, runId, UUID::randomUUID, "a", NOW, events);
  }
}
