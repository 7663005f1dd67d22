package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test realm gives the tokens the security model reads (issue 15): the API as audience, the
 * realm roles, the project groups, the user's name; the adapters' client-credentials token has the
 * adapter role and no project. A real Keycloak, started from the repository's realm file.
 */
class KeycloakRealmTest {
  private static KeycloakServer keycloak;

  @BeforeAll
  static void start() throws Exception {
    keycloak = KeycloakServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (keycloak != null) {
      keycloak.close();
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void aUsersTokenNamesTheApiTheRolesAndTheProjects() throws Exception {
    JsonNode alice = KeycloakServer.claims(keycloak.userToken("alice", "alice-password"));
    assertThat(alice.path("iss").asText()).isEqualTo(keycloak.issuer);
    assertThat(alice.path("aud").asText()).isEqualTo("workflow-api");
    assertThat(alice.path("preferred_username").asText()).isEqualTo("alice");
    assertThat(alice.path("sub").asText()).isNotBlank();
    assertThat(texts(alice.path("realm_access").path("roles"))).containsExactly("user");
    assertThat(texts(alice.path("projects"))).containsExactly("/projects/project-a");

    JsonNode dana = KeycloakServer.claims(keycloak.userToken("dana", "dana-password"));
    assertThat(texts(dana.path("realm_access").path("roles")))
        .containsExactlyInAnyOrder("user", "workflow-developer");
    assertThat(texts(dana.path("projects")))
        .containsExactlyInAnyOrder("/projects/project-a", "/projects/project-b");

    JsonNode root = KeycloakServer.claims(keycloak.userToken("root", "root-password"));
    assertThat(texts(root.path("realm_access").path("roles"))).containsExactly("admin");
  }

  @Test
  void anAdaptersTokenCarriesTheAdapterRoleAndNoProject() throws Exception {
    JsonNode adapter =
        KeycloakServer.claims(keycloak.clientToken("workflow-adapter", "workflow-adapter-secret"));
    assertThat(adapter.path("aud").asText()).isEqualTo("workflow-api");
    assertThat(adapter.path("azp").asText()).isEqualTo("workflow-adapter");
    assertThat(texts(adapter.path("realm_access").path("roles"))).containsExactly("adapter");
    assertThat(adapter.has("projects")).isFalse();

    JsonNode service =
        KeycloakServer.claims(keycloak.clientToken("workflow-api", "workflow-api-secret"));
    assertThat(texts(service.path("realm_access").path("roles")))
        .containsExactly("workflow-service");
  }

  @Test
  void aWrongPasswordOrSecretGetsNoToken() {
    assertThatThrownBy(() -> keycloak.userToken("alice", "guess"))
        .hasMessageContaining("invalid_grant");
    assertThatThrownBy(() -> keycloak.clientToken("workflow-adapter", "guess"))
        .hasMessageContaining("unauthorized_client");
  }
}
