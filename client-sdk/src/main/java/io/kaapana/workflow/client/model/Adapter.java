package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;

/** A registered adapter instance. */
public record Adapter(
    String id,
    String workflowEngine,
    String labelSelector,
    List<Capability> capabilities,
    String endpointUrl,
    String version,
    Integer leaseSeconds,
    Instant registeredAt,
    Instant lastSeenAt,
    String status) {}
