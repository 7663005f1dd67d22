package io.kaapana.workflow.service.security;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts the test realm's Keycloak for a secured service and points the service at it. */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {
  private static volatile KeycloakServer server;

  /** The running server, for tokens. */
  public static KeycloakServer server() {
    KeycloakServer running = server;
    if (running == null) {
      throw new IllegalStateException("Keycloak is not running: use the Secured test profile");
    }
    return running;
  }

  @Override
  public Map<String, String> start() {
    try {
      server = KeycloakServer.start();
    } catch (Exception e) {
      throw new IllegalStateException("Keycloak did not start", e);
    }
    return Map.of("kaapana.auth.issuer", server.issuer);
  }

  @Override
  public void stop() {
    KeycloakServer running = server;
    server = null;
    if (running != null) {
      try {
        running.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
