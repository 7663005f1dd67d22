package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RetryScope;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** One held run and the engine brought in step, against a fake service and a fake engine. */
class ReconcilerTest {
  private final Fakes.Service service = new Fakes.Service();
  private final Fakes.Engine engine = new Fakes.Engine();
  private final Map<UUID, HeldRun> held = new ConcurrentHashMap<>();
  private final EngineMetrics metrics = new EngineMetrics(held::size);
  private final EngineCalls calls =
      new EngineCalls(engine, metrics, RunTracing.passOnOnly(), "fake");
  private final Reconciler reconciler =
      new Reconciler(
          held,
          service,
          calls,
          new Deployments(service, calls),
          metrics,
          Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC));
  private final UUID token = UUID.randomUUID();

  private HeldRun hold(ActionRequest action) {
    HeldRun run = new HeldRun(Fakes.claimed(UUID.randomUUID(), token, action));
    held.put(run.id, run);
    return run;
  }

  @Test
  void aNewRunIsDeployedSubmittedObservedAndReportedUnderItsLease() throws Exception {
    HeldRun run = hold(null);

    reconciler.reconcile(run);

    assertThat(engine.calls).containsExactly("deploy", "submit", "observe");
    StatusReport report = service.last();
    assertThat(report.leaseToken()).isEqualTo(token);
    assertThat(report.lifecycleStatus()).isEqualTo(RunState.RUNNING);
    assertThat(report.externalId()).isEqualTo("ext-1");
    assertThat(report.attempt()).isEqualTo(1);
  }

  @Test
  void onlyChangesAreReportedAndASettledRunIsLetGo() throws Exception {
    HeldRun run = hold(null);
    reconciler.reconcile(run);
    reconciler.reconcile(run); // nothing moved

    assertThat(service.reports).hasSize(1);
    assertThat(engine.calls).containsExactly("deploy", "submit", "observe", "observe");

    engine.state = EngineRunState.COMPLETED;
    reconciler.reconcile(run);

    assertThat(service.reports).hasSize(2);
    assertThat(service.last().lifecycleStatus()).isEqualTo(RunState.COMPLETED);
    assertThat(held).doesNotContainKey(run.id);
  }

  @Test
  void aCancelBeforeSubmissionEndsTheRunWithoutTheEngine() throws Exception {
    HeldRun run = hold(new ActionRequest(RequestedAction.CANCEL, null, false, null, "stop"));
    service.pendingAction = RequestedAction.CANCEL;

    reconciler.reconcile(run);

    assertThat(engine.calls).containsExactly("deploy");
    StatusReport report = service.last();
    assertThat(report.lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(report.actionDone()).isEqualTo(RequestedAction.CANCEL);
    assertThat(held).doesNotContainKey(run.id);
  }

  @Test
  void aCancelOfASubmittedRunIsCarriedOutAndDoneWhenTheEngineShowsIt() throws Exception {
    HeldRun run = hold(null);
    reconciler.reconcile(run);
    run.update(
        Fakes.claimed(
            run.id, token, new ActionRequest(RequestedAction.CANCEL, null, true, null, "stop")));
    run.submitted("ext-1");
    service.pendingAction = RequestedAction.CANCEL;

    reconciler.reconcile(run);

    assertThat(engine.calls).contains("cancel");
    assertThat(service.last().lifecycleStatus()).isEqualTo(RunState.CANCELED);
    assertThat(service.last().actionDone()).isEqualTo(RequestedAction.CANCEL);
  }

  @Test
  void aRetryIsDoneOnceTheEngineRunsTheNewAttempt() throws Exception {
    HeldRun run = hold(null);
    engine.state = EngineRunState.ERROR;
    reconciler.reconcile(run); // settled in ERROR: let go, until a RETRY brings it back
    assertThat(held).doesNotContainKey(run.id);

    HeldRun again =
        hold(new ActionRequest(RequestedAction.RETRY, RetryScope.FAILED, false, null, "fix"));
    again.submitted("ext-1");
    service.pendingAction = RequestedAction.RETRY;
    reconciler.reconcile(again);

    assertThat(engine.calls).contains("retry FAILED");
    StatusReport report = service.last();
    assertThat(report.lifecycleStatus()).isEqualTo(RunState.RUNNING);
    assertThat(report.attempt()).isEqualTo(2);
    assertThat(report.actionDone()).isEqualTo(RequestedAction.RETRY);
    assertThat(again.pendingAction()).isNull();
  }

  @Test
  void anEngineThatIsDownFailsTheReconcileAndTheRunSaysWhyItWaits() {
    HeldRun run = hold(null);
    engine.unavailableCalls = 1;

    assertThatThrownBy(() -> reconciler.reconcile(run))
        .isInstanceOfSatisfying(AdapterException.class, e -> assertThat(e.retryable()).isTrue());
    reconciler.tellWhyItWaits(run, "the engine is unavailable; retrying in 1 s");

    assertThat(service.last().lifecycleStatus()).isEqualTo(RunState.CREATED);
    assertThat(service.last().statusMessage()).startsWith("the engine is unavailable");
  }

  @Test
  void anEngineThatForgotTheRunEndsItInError() throws Exception {
    HeldRun run = hold(null);
    reconciler.reconcile(run);
    Fakes.Engine forgetful =
        new Fakes.Engine() {
          @Override
          public io.kaapana.workflow.adapter.spi.RunObservation observe(
              io.kaapana.workflow.adapter.spi.RunRef ref) throws AdapterException {
            throw new AdapterException(AdapterException.ErrorCode.NOT_FOUND, "no such run");
          }
        };
    EngineCalls forgetfulCalls =
        new EngineCalls(forgetful, metrics, RunTracing.passOnOnly(), "fake");
    new Reconciler(
            held,
            service,
            forgetfulCalls,
            new Deployments(service, forgetfulCalls),
            metrics,
            Clock.systemUTC())
        .reconcile(run);

    assertThat(service.last().lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(service.last().statusMessage()).contains("no record of this run");
  }
}
