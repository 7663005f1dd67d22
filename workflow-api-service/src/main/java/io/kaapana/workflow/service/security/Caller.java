package io.kaapana.workflow.service.security;

import io.kaapana.workflow.core.domain.ProjectScope;
import java.util.Set;

/**
 * Who sent a request, as the service trusts it: from a verified token, or the local operator of a
 * service that runs without an identity provider on loopback.
 *
 * @param subject the token's {@code sub} ({@code local} without an identity provider)
 * @param username the token's {@code preferred_username}, if any
 * @param clientId the client the token was issued to ({@code azp}), if any
 * @param roles the service's role names ({@link AccessRoles}) the caller holds
 * @param projects the projects whose runs the caller sees
 */
public record Caller(
    String subject, String username, String clientId, Set<String> roles, ProjectScope projects) {
  public static final String LOCAL = "local";

  public Caller {
    roles = Set.copyOf(roles);
  }

  /** The operator of a service without an identity provider: every role, every project. */
  static Caller local() {
    return new Caller(
        LOCAL,
        LOCAL,
        null,
        Set.of(
            AccessRoles.USER,
            AccessRoles.ADAPTER,
            AccessRoles.ADMIN,
            AccessRoles.WORKFLOW_DEVELOPER),
        ProjectScope.all());
  }

  /**
   * The name events and the audit trail record: the user name, else the client, else the subject.
   */
  public String actor() {
    if (username != null && !username.isEmpty()) {
      return username;
    }
    return clientId != null && !clientId.isEmpty() ? clientId : subject;
  }

  public boolean has(String role) {
    return roles.contains(role);
  }
}
