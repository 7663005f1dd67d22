package io.kaapana.workflow.service.security;

import java.util.Optional;

/** {@link AuthSettings} with the documented defaults, for unit tests of the security classes. */
final class DefaultAuthSettings {
  private DefaultAuthSettings() {}

  /**
   * @param issuer {@code KAAPANA_AUTH_ISSUER}, or null
   * @param override {@code KAAPANA_AUTH}, or null
   */
  static AuthSettings with(String issuer, String override) {
    return new AuthSettings(
        Optional.ofNullable(issuer),
        Optional.ofNullable(override),
        "workflow-api",
        Optional.empty(),
        "user",
        "adapter",
        "admin",
        "workflow-developer",
        "projects",
        "/projects/",
        "default");
  }
}
