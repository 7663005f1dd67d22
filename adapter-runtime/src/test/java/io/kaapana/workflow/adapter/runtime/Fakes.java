package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.EngineRunState;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Claim;
import io.kaapana.workflow.client.model.ClaimRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.Problem;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.ValidationReport;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowReference;
import io.kaapana.workflow.client.model.WorkflowRevision;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A fake Workflow API and a fake engine for the runtime's parts. */
final class Fakes {
  private Fakes() {}

  static final UUID WORKFLOW = UUID.randomUUID();

  static ClaimedWorkflowRun claimed(UUID runId, UUID token, ActionRequest action) {
    return new ClaimedWorkflowRun(
        runId,
        new WorkflowReference(WORKFLOW, "wf", 1),
        "fake",
        Map.of(),
        Map.of("n", 1),
        RunState.CREATED,
        action == null ? null : action.type(),
        null,
        0,
        null,
        "adapter-1",
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        null,
        Map.of(),
        token,
        Instant.EPOCH.plusSeconds(30),
        action,
        null);
  }

  /** The service's side: answers reports as the service would, and keeps them. */
  static final class Service implements ServiceCalls {
    final List<StatusReport> reports = Collections.synchronizedList(new ArrayList<>());
    volatile RequestedAction pendingAction;
    volatile boolean leaseLost;

    @Override
    public void register(String adapterId, AdapterRegistration registration) {}

    @Override
    public boolean deregister(String adapterId) {
      return true;
    }

    @Override
    public Claim claim(String adapterId, ClaimRequest request) {
      return new Claim(List.of(), List.of());
    }

    @Override
    public void reportValidation(UUID workflowId, int increment, ValidationReport report) {}

    @Override
    public Workflow workflow(UUID workflowId) {
      throw new ProblemException.NotFoundException(problem(404, "not-found"));
    }

    @Override
    public WorkflowRevision revision(UUID workflowId, int increment) {
      return new WorkflowRevision(
          workflowId,
          increment,
          "definition",
          Map.of(),
          Map.of(),
          "h",
          Instant.EPOCH,
          null,
          List.of(),
          null);
    }

    @Override
    public List<WorkflowRevision> revisions(UUID workflowId) {
      return List.of();
    }

    @Override
    public WorkflowRun reportStatus(UUID runId, StatusReport report) {
      if (leaseLost) {
        throw new ProblemException.LeaseLostException(problem(409, "lease-lost"));
      }
      reports.add(report);
      if (report.actionDone() != null) {
        pendingAction = null;
      }
      return new WorkflowRun(
          runId,
          new WorkflowReference(WORKFLOW, "wf", 1),
          "fake",
          Map.of(),
          Map.of(),
          report.lifecycleStatus(),
          pendingAction,
          report.statusMessage(),
          report.attempt(),
          report.externalId(),
          "adapter-1",
          Instant.EPOCH,
          Instant.EPOCH,
          report.startedAt(),
          report.finishedAt(),
          Map.of());
    }

    @Override
    public List<TaskRun> taskRuns(UUID runId) {
      return List.of();
    }

    @Override
    public Page<Event> archivedWorkflowEvents(long afterSeq, int limit) {
      return new Page<>(List.of(), null, null);
    }

    StatusReport last() {
      synchronized (reports) {
        return reports.get(reports.size() - 1);
      }
    }

    private static Problem problem(int status, String code) {
      return new Problem(
          "urn:kaapana:workflow-api:problem:" + code,
          code,
          status,
          code,
          null,
          code,
          false,
          List.of(),
          null);
    }
  }

  /** The engine: one run, whose state the test sets; calls are counted. */
  static class Engine implements WorkflowAdapter {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    volatile EngineRunState state = EngineRunState.RUNNING;
    volatile int attempt = 1;

    /** The next this many calls fail as if the engine were down. */
    volatile int unavailableCalls;

    /** How long each call takes: a slow engine. */
    volatile long callMillis;

    private final java.util.concurrent.atomic.AtomicInteger inFlight =
        new java.util.concurrent.atomic.AtomicInteger();

    /** The most calls that were in the engine at the same time. */
    final java.util.concurrent.atomic.AtomicInteger mostAtOnce =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.CANCEL, Capability.RETRY_RUN);
    }

    private void reach(String call) throws AdapterException {
      calls.add(call);
      mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        if (callMillis > 0) {
          Thread.sleep(callMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      if (unavailableCalls > 0) {
        unavailableCalls--;
        throw new AdapterException(AdapterException.ErrorCode.UNAVAILABLE, "connection refused");
      }
    }

    @Override
    public Deployment deploy(RevisionSpec revision) throws AdapterException {
      reach("deploy");
      return Deployment.valid("ref-1", List.of());
    }

    @Override
    public String submit(RunSpec run) throws AdapterException {
      reach("submit");
      return "ext-1";
    }

    @Override
    public RunObservation observe(RunRef run) throws AdapterException {
      reach("observe");
      return new RunObservation(
          run.runId(), run.externalId(), state, attempt, null, Instant.EPOCH, null, List.of());
    }

    @Override
    public void cancel(RunRef run, boolean force) throws AdapterException {
      reach("cancel");
      state = EngineRunState.CANCELED;
    }

    @Override
    public int retry(RunSpec run, RetryScope scope) throws AdapterException {
      reach("retry " + scope);
      attempt++;
      state = EngineRunState.RUNNING;
      return attempt;
    }

    @Override
    public void close() {}
  }
}
