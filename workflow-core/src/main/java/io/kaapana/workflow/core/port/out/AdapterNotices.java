package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.ReleaseReason;
import java.util.List;
import java.util.UUID;

/**
 * What operators are told of adapters coming and going (the service logs it). Called inside the
 * caller's transaction: an implementation reports only what committed.
 */
public interface AdapterNotices {
  /** A new adapter, or one that was LOST and is heard from again ({@code wasLost}). */
  void registered(Adapter adapter, boolean wasLost);

  void lost(Adapter adapter, int runsReleased);

  void deregistered(String adapterId, int runsReleased);

  void runsReleased(String adapterId, ReleaseReason reason, List<UUID> runIds);
}
