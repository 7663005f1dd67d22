package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.client.model.ActionRequest;
import io.kaapana.workflow.client.model.ClaimedWorkflowRun;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.StatusReport;
import java.util.UUID;

/**
 * A run this runtime holds under a lease. Guarded by its own monitor; the reconcile of one run
 * never runs twice at once ({@link #busy}), and a wake-up during a reconcile sets {@link #dirty} so
 * it runs once more after.
 */
final class HeldRun {
  final UUID id;
  ClaimedWorkflowRun claimed;
  UUID leaseToken;
  String externalId;
  int attempt;
  RunState state;

  /** What a client asked for and the runtime has not reported done yet. */
  ActionRequest action;

  /** The action was carried out in the engine; waiting for the engine to show its effect. */
  boolean actionStarted;

  /** For a started RETRY: the attempt the engine answered with. */
  int retryAttempt;

  /** The last report the service accepted, to send only changes. */
  StatusReport lastReport;

  /** A fresh observation from a batch sync, used instead of observing again. */
  RunObservation pendingObservation;

  boolean busy;
  boolean dirty;
  int failures;

  HeldRun(ClaimedWorkflowRun claimed) {
    this.id = claimed.id();
    update(claimed);
  }

  /** Takes a newer claim of the same run (a requested action, or a new lease). */
  void update(ClaimedWorkflowRun newer) {
    this.claimed = newer;
    this.leaseToken = newer.leaseToken();
    if (newer.externalId() != null) {
      this.externalId = newer.externalId();
    }
    this.attempt = Math.max(this.attempt, newer.attempt());
    this.state = newer.lifecycleStatus();
    if (newer.actionRequest() != null && !newer.actionRequest().equals(action)) {
      this.action = newer.actionRequest();
      this.actionStarted = false;
    }
  }

  boolean settledWithoutAction() {
    return action == null
        && (state == RunState.COMPLETED || state == RunState.ERROR || state == RunState.CANCELED);
  }
}
