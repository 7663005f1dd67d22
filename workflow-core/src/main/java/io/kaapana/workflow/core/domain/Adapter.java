package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A registered engine adapter instance: what it serves, whether it is heard from, and who
 * registered it ({@code registeredBy}, the subject of its client's token; null for registrations
 * older than that record).
 */
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
    AdapterStatus status,
    String registeredBy) {

  public Adapter {
    capabilities = Capability.ordered(capabilities);
  }

  /** Whether {@code subject} registered it (an adapter registered before owners were kept: no). */
  public boolean registeredBy(String subject) {
    return registeredBy != null && registeredBy.equals(subject);
  }

  /** The refusal of an adapter id that another client registered. */
  public static WorkflowApiException idTaken(String adapterId) {
    return new WorkflowApiException(
        ErrorCode.ADAPTER_ID_TAKEN,
        "adapter "
            + adapterId
            + " is registered by another client; only that client (or an admin, by removing it)"
            + " can change or use it");
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
