package io.kaapana.workflow.service.claims;

import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.service.persistence.ChangeSignal;
import io.kaapana.workflow.service.persistence.EventSequencer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The transactions around the claim use cases: each look for work is its own transaction, and the
 * events it wrote are numbered before it returns, then waiting streams are woken.
 */
@ApplicationScoped
public class ClaimService {
  private final AdapterCommands adapters;
  private final EventSequencer sequencer;
  private final ChangeSignal signal;

  public ClaimService(AdapterCommands adapters, EventSequencer sequencer, ChangeSignal signal) {
    this.adapters = adapters;
    this.sequencer = sequencer;
    this.signal = signal;
  }

  /**
   * One look for work (see {@link AdapterCommands#claim}).
   *
   * @return the work, or empty when the adapter is no longer active
   */
  public Optional<Claim> look(String adapterId, int limit, boolean heartbeat) {
    Optional<Claim> claim =
        QuarkusTransaction.requiringNew().call(() -> adapters.claim(adapterId, limit, heartbeat));
    sequencer.sequenceCommittedQuietly(); // claims, heartbeats and releases write events
    if (claim.isPresent() && !claim.get().isEmpty()) {
      signal.signal(); // the claim wrote events that streams may wait for
    }
    return claim;
  }

  /** Gives back runs a claim took but could not hand over: its caller had gone. */
  public int giveBack(String adapterId, List<Claim.ClaimedRun> runs) {
    int released =
        QuarkusTransaction.requiringNew()
            .call(
                () -> adapters.giveBack(adapterId, runs.stream().map(c -> c.run().id()).toList()));
    sequencer.sequenceCommittedQuietly();
    signal.signal();
    return released;
  }
}
