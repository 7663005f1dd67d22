package io.kaapana.workflow.service.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service as deployed: every API request needs a token of the test realm's Keycloak. */
public class Secured implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    // every refusal logged: the generated test alone refuses hundreds a minute
    return Map.of(
        "kaapana.auth.metrics", "authenticated", "kaapana.auth.denied-lines-per-minute", "100000");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(KeycloakResource.class));
  }
}
