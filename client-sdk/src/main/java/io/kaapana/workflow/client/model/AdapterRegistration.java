package io.kaapana.workflow.client.model;

import java.util.List;

/** The body of {@code PUT /v1/adapters/{id}} (register, and heartbeat). */
public record AdapterRegistration(
    String workflowEngine,
    String labelSelector,
    List<Capability> capabilities,
    String endpointUrl,
    String version,
    Integer leaseSeconds) {}
