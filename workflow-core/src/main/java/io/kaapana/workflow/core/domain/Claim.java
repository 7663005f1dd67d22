package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The work one claim hands an adapter: runs under a lease, and revisions to validate. */
public record Claim(List<ClaimedRun> runs, List<WorkflowRevision> revisions) {
  public static final Claim EMPTY = new Claim(List.of(), List.of());

  public Claim {
    runs = List.copyOf(runs);
    revisions = List.copyOf(revisions);
  }

  public boolean isEmpty() {
    return runs.isEmpty() && revisions.isEmpty();
  }

  /** A run handed to an adapter, with the token its reports must carry. */
  public record ClaimedRun(WorkflowRun run, UUID leaseToken, Instant leaseExpiresAt) {}
}
