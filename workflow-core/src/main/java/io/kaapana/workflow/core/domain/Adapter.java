package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.Set;

/** A registered engine adapter instance: what it serves, and whether it is heard from. */
public record Adapter(
    String id,
    String workflowEngine,
    String labelSelector,
    Set<Capability> capabilities,
    String endpointUrl,
    String version,
    int leaseSeconds,
    Instant registeredAt,
    Instant lastSeenAt,
    AdapterStatus status) {

  public Adapter {
    capabilities = Capability.ordered(capabilities);
  }

  public boolean isActive() {
    return status == AdapterStatus.ACTIVE;
  }

  /** Until when the runs it claims are leased to it without another heartbeat. */
  public Instant leaseExpiresAt() {
    return lastSeenAt.plusSeconds(leaseSeconds);
  }

  /** Whether this adapter serves objects with these labels and engine. */
  public boolean serves(String engine, Labels labels) {
    return workflowEngine.equals(engine) && LabelSelector.parse(labelSelector).matches(labels);
  }
}
