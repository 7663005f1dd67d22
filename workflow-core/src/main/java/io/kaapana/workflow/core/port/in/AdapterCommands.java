package io.kaapana.workflow.core.port.in;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.Claim;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Adapters and the work they hold: registration, heartbeats, claims under leases, loss and release.
 * Each write is one transaction, owned by the caller.
 */
public interface AdapterCommands {
  /**
   * Registers an adapter, or refreshes it (a heartbeat); a LOST adapter is ACTIVE again. A new
   * registration, one of a lost adapter and a changed one are audited under {@code actor}.
   */
  Adapter register(AdapterRegistration registration, String actor);

  /**
   * Removes an adapter at its clean shutdown and frees its runs at once (audited); false if
   * unknown.
   */
  boolean deregister(String adapterId, String actor);

  /**
   * One look for work: runs the adapter may take, each claimed under a lease, and revisions to
   * validate. Adapters whose heartbeats stopped are marked LOST first, so their runs can be taken.
   *
   * @param heartbeat whether this look counts as the adapter's heartbeat (only the first look of a
   *     long poll does: the service cannot see a caller that died while it waited)
   * @return the work (maybe empty), or empty when the adapter is LOST (its next heartbeat makes it
   *     ACTIVE again)
   * @throws io.kaapana.workflow.core.domain.WorkflowApiException not-found for an unknown adapter
   */
  Optional<Claim> claim(String adapterId, int limit, boolean heartbeat);

  /** Gives back runs a claim took but could not hand over (its caller had gone). */
  int giveBack(String adapterId, List<UUID> runIds);

  /** Marks adapters whose heartbeats stopped as LOST and frees their runs; returns how many. */
  int sweepLost();

  Optional<Adapter> find(String adapterId);

  /** Every registered adapter, by id. */
  List<Adapter> list();

  /** The ACTIVE adapters, by id. */
  List<Adapter> active();
}
