package io.kaapana.workflow.service.persistence;

import java.util.Optional;

/** Who sent the request being served, as far as the audit trail records it. */
public interface RequestCaller {
  /** Empty outside a request (a maintenance sweep, say). */
  Optional<Identity> current();

  /**
   * @param subject the token's subject ({@code local} without an identity provider)
   * @param clientId the client the token was issued to, if any
   */
  record Identity(String subject, String clientId) {}
}
