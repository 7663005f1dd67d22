package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineTaskState;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.TaskObservation;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.WorkflowRevision;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings one held run and the engine in step: deploys its revision, submits it, carries out a
 * requested CANCEL or RETRY, observes it, and reports what changed to the service. One reconcile of
 * a run at a time ({@link RunWork} sees to that); failures are thrown to the caller, which retries
 * with backoff.
 */
final class Reconciler {
  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

  private final Map<UUID, HeldRun> held;
  private final ServiceCalls service;
  private final EngineCalls engine;
  private final Deployments deployments;
  private final EngineMetrics metrics;
  private final Clock clock;

  Reconciler(
      Map<UUID, HeldRun> held,
      ServiceCalls service,
      EngineCalls engine,
      Deployments deployments,
      EngineMetrics metrics,
      Clock clock) {
    this.held = held;
    this.service = service;
    this.engine = engine;
    this.deployments = deployments;
    this.metrics = metrics;
    this.clock = clock;
  }

  void reconcile(HeldRun run) throws AdapterException {
    if (held.get(run.id) != run) {
      return; // released meanwhile
    }
    HeldRun.Snapshot start = run.beginReconcile();
    ClaimedWorkflowRun claimed = start.claimed();
    ActionRequest action = start.action();
    String externalId = start.externalId();
    RunObservation observation = start.observation();
    WorkflowRevision revision =
        deployments.revision(claimed.workflow().id(), claimed.workflow().increment());
    Deployment deployment = deployments.deploy(revision);
    if (!deployment.valid()) {
      report(
          run,
          null,
          RunState.ERROR,
          "the engine refused the definition: " + String.join("; ", deployment.messages()),
          action);
      return;
    }
    RunRef ref =
        new RunRef(
            run.id.toString(), externalId, deployment.engineRef(), Math.max(1, start.attempt()));

    if (action != null && !start.actionStarted()) {
      try {
        carryOut(run, action, ref, revision, claimed, externalId);
      } catch (AdapterException e) {
        if (e.retryable()) {
          throw e;
        }
        // The engine refused: end the request, and say why, instead of asking again forever.
        report(
            run,
            null,
            run.state(),
            action.type() + " failed in the engine: " + e.getMessage(),
            action);
        return;
      }
      if (!run.actionStarted()) {
        return; // settled without the engine (a cancel before submission)
      }
      observation = null;
    } else if (externalId == null) {
      if (claimed.lifecycleStatus() != RunState.CREATED) {
        report(
            run,
            null,
            RunState.ERROR,
            "the run was " + claimed.lifecycleStatus() + " but no engine run id was recorded",
            action);
        return;
      }
      try {
        run.submitted(engine.submit(runSpec(ref, revision, claimed, false)));
      } catch (AdapterException e) {
        if (e.code() == ErrorCode.REJECTED) {
          report(run, null, RunState.ERROR, e.getMessage(), action);
          return;
        }
        throw e;
      }
      observation = null;
    }
    if (observation == null) {
      try {
        observation = engine.observe(run.ref(deployment.engineRef()));
      } catch (AdapterException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
          throw e;
        }
        report(
            run,
            null,
            RunState.ERROR,
            "the engine has no record of this run: " + e.getMessage(),
            action);
        return;
      }
    }
    report(run, observation, null, null, action);
  }

  /**
   * A run not yet submitted says why it waits (lifecycle.md, submission failures); its next state
   * change replaces the message.
   */
  void tellWhyItWaits(HeldRun run, String message) {
    StatusReport report = run.whyItWaits(message);
    if (report == null) {
      return;
    }
    try {
      service.reportStatus(run.id, report);
    } catch (WorkflowApiClientException e) {
      LOG.log(Level.FINE, "could not report why run " + run.id + " waits: " + e.getMessage());
    }
  }

  /** Carries out a requested CANCEL or RETRY in the engine. */
  private void carryOut(
      HeldRun run,
      ActionRequest action,
      RunRef ref,
      WorkflowRevision revision,
      ClaimedWorkflowRun claimed,
      String externalId)
      throws AdapterException {
    if (action.type() == RequestedAction.CANCEL) {
      if (externalId == null) {
        report(run, null, RunState.CANCELED, "canceled before it was submitted", action);
        return;
      }
      engine.cancel(ref, Boolean.TRUE.equals(action.force()));
      run.actionCarriedOut(0);
    } else {
      RunSpec spec = runSpec(ref, revision, claimed, true);
      int newAttempt =
          action.taskTitle() != null
              ? engine.retryTask(spec, action.taskTitle())
              : engine.retry(
                  spec,
                  action.scope() == io.kaapana.workflow.client.model.RetryScope.ALL
                      ? RetryScope.ALL
                      : RetryScope.FAILED);
      run.actionCarriedOut(newAttempt);
    }
  }

  private RunSpec runSpec(
      RunRef ref, WorkflowRevision revision, ClaimedWorkflowRun run, boolean withTasks) {
    List<TaskObservation> known = new ArrayList<>();
    if (withTasks) {
      for (TaskRun t : service.taskRuns(run.id())) {
        EngineTaskState state = Vocabulary.engineTaskState(t.lifecycleStatus());
        if (state != null) { // a state of a newer service: the engine could not use it either
          known.add(
              new TaskObservation(
                  t.taskTitle(),
                  state,
                  t.attempt(),
                  t.externalId(),
                  t.statusMessage(),
                  t.startedAt(),
                  t.finishedAt()));
        }
      }
    }
    Map<String, Object> parameters = run.parameters() == null ? Map.of() : run.parameters();
    return new RunSpec(ref, deployments.spec(revision), parameters, run.labels(), known);
  }

  /**
   * Sends what changed: from an observation, or (when it is null) a run-level state with a message.
   * Reports a requested action as done once the engine shows its effect.
   */
  private void report(
      HeldRun run,
      RunObservation observation,
      RunState state,
      String message,
      ActionRequest action) {
    if (held.get(run.id) != run) {
      return; // released meanwhile
    }
    StatusReport report = run.nextReport(observation, state, message, action, clock.instant());
    if (report == null) {
      return; // nothing new
    }
    WorkflowRun answer = service.reportStatus(run.id, report);
    metrics.reported();
    if (run.reportAccepted(report, answer)) {
      held.remove(run.id, run); // nothing left to do; a new request comes back through a claim
    }
  }
}
