package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.support.Backoff;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Claim;
import io.kaapana.workflow.client.model.ClaimRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.Task;
import io.kaapana.workflow.client.model.ValidationReport;
import io.kaapana.workflow.client.model.ValidationStatus;
import io.kaapana.workflow.client.model.WorkflowRevision;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's standing with the service: registers (first freeing what an earlier incarnation
 * with the same id held), heartbeats, and long-polls claims — handing claimed runs to {@link
 * RunWork} and revisions to validate to the workers. A failed registration or claim is retried with
 * backoff (0.5 s doubling to 30 s); a service that forgot the adapter gets a new registration.
 */
final class Registration {
  private static final Logger LOG = Logger.getLogger(Registration.class.getName());

  private final String instanceId;
  private final Supplier<AdapterRegistration> registration;
  private final ClaimRequest claimRequest;
  private final ServiceCalls service;
  private final Deployments deployments;
  private final Consumer<ClaimedWorkflowRun> hold;
  private final Executor workers;
  private final BooleanSupplier running;
  private volatile boolean registered;

  Registration(
      String instanceId,
      Supplier<AdapterRegistration> registration,
      ClaimRequest claimRequest,
      ServiceCalls service,
      Deployments deployments,
      Consumer<ClaimedWorkflowRun> hold,
      Executor workers,
      BooleanSupplier running) {
    this.instanceId = instanceId;
    this.registration = registration;
    this.claimRequest = claimRequest;
    this.service = service;
    this.deployments = deployments;
    this.hold = hold;
    this.workers = workers;
    this.running = running;
  }

  boolean isRegistered() {
    return registered;
  }

  private void register() {
    // A restarted instance with a fixed id first frees what its previous incarnation held.
    service.deregister(instanceId);
    AdapterRegistration wanted = registration.get();
    service.register(instanceId, wanted);
    registered = true;
    LOG.info(
        () -> "registered as adapter " + instanceId + " for engine " + wanted.workflowEngine());
  }

  void heartbeat() {
    if (!registered || !running.getAsBoolean()) {
      return;
    }
    try {
      service.register(instanceId, registration.get());
    } catch (WorkflowApiClientException e) {
      LOG.log(Level.WARNING, "heartbeat failed: " + e.getMessage());
    }
  }

  /** Registers, then claims until the runtime stops; run on its own thread. */
  void claimLoop() {
    Backoff backoff = new Backoff(RunWork.INITIAL_BACKOFF_MILLIS, RunWork.MAX_BACKOFF_MILLIS);
    while (running.getAsBoolean()) {
      try {
        if (!registered) {
          register();
        }
        Claim claim = service.claim(instanceId, claimRequest);
        backoff.reset();
        for (WorkflowRevision revision : claim.revisions()) {
          workers.execute(() -> validate(revision));
        }
        claim.runs().forEach(hold);
      } catch (ProblemException.NotFoundException e) {
        registered = false; // the service forgot us (LOST and swept): register again
      } catch (RuntimeException e) {
        if (!running.getAsBoolean()) {
          return;
        }
        long wait = backoff.next();
        LOG.log(
            Level.WARNING,
            (registered ? "claiming work" : "registering")
                + " failed, retrying in "
                + wait
                + " ms: "
                + e.getMessage());
        AdapterRuntime.sleep(wait);
      }
    }
  }

  /** Stops being registered: the service releases every run this instance held at once. */
  void deregister() {
    if (!registered) {
      return;
    }
    try {
      service.deregister(instanceId);
    } catch (WorkflowApiClientException e) {
      LOG.log(
          Level.INFO,
          "could not unregister; the service frees the runs after the lease: " + e.getMessage());
    }
  }

  private void validate(WorkflowRevision revision) {
    try {
      Deployment deployment = deployments.deploy(revision);
      service.reportValidation(
          revision.workflowId(),
          revision.increment(),
          new ValidationReport(
              deployment.valid() ? ValidationStatus.VALID : ValidationStatus.INVALID,
              deployment.messages(),
              deployment.tasks().stream()
                  .map(t -> new Task(t.title(), t.displayName(), t.type(), t.downstream()))
                  .toList(),
              deployment.engineRef(),
              instanceId));
    } catch (AdapterException | RuntimeException e) {
      // The validation claim expires after the lease; the revision comes back to be tried again.
      LOG.log(
          Level.WARNING,
          "validating revision "
              + revision.increment()
              + " of workflow "
              + revision.workflowId()
              + " failed: "
              + e.getMessage());
    }
  }
}
