package io.kaapana.workflow.service.adapters;

import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Labels;
import java.time.Instant;
import java.util.Set;

/** A registered adapter instance as stored. */
public record AdapterRecord(
    String id,
    String workflowEngine,
    String labelSelector,
    Set<Capability> capabilities,
    String endpointUrl,
    String version,
    int leaseSeconds,
    Instant registeredAt,
    Instant lastSeenAt,
    String status) {

  public boolean isActive() {
    return "ACTIVE".equals(status);
  }

  public Instant leaseExpiresAt() {
    return lastSeenAt.plusSeconds(leaseSeconds);
  }

  /** Whether this adapter serves objects with these labels and engine. */
  public boolean serves(String engine, Labels labels) {
    return workflowEngine.equals(engine) && LabelSelector.parse(labelSelector).matches(labels);
  }
}
