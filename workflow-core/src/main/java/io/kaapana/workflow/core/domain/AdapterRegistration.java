package io.kaapana.workflow.core.domain;

import java.util.Set;

/**
 * What an adapter says of itself when it registers (and with every heartbeat by PUT).
 *
 * @param registeredBy who registers it (the subject of the adapter client's token): only they may
 *     renew, use and remove the registration
 */
public record AdapterRegistration(
    String id,
    String workflowEngine,
    String labelSelector,
    Set<Capability> capabilities,
    String endpointUrl,
    String version,
    int leaseSeconds,
    String registeredBy) {

  public AdapterRegistration {
    capabilities = Capability.ordered(capabilities);
  }
}
