package io.kaapana.workflow.core.domain;

import java.util.Set;

/** What an adapter says of itself when it registers (and with every heartbeat by PUT). */
public record AdapterRegistration(
    String id,
    String workflowEngine,
    String labelSelector,
    Set<Capability> capabilities,
    String endpointUrl,
    String version,
    int leaseSeconds) {

  public AdapterRegistration {
    capabilities = Capability.ordered(capabilities);
  }
}
