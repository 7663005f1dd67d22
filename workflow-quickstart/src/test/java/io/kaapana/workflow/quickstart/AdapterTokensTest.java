package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.client.AccessTokens;
import io.kaapana.workflow.client.WorkflowApiClientException;
import io.kaapana.workflow.service.security.KeycloakServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's client-credentials tokens, as the adapter runtime gets them, from a real Keycloak:
 * found through the issuer's discovery document, with the adapter role, renewed on request, and a
 * refused secret named without showing it.
 */
class AdapterTokensTest {
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

  @Test
  void anAdapterGetsAndRenewsItsTokenFromTheIssuer() throws Exception {
    AccessTokens tokens =
        AccessTokens.clientCredentials(
            URI.create(keycloak.issuer), "workflow-adapter", () -> "workflow-adapter-secret");
    String first = tokens.current();
    JsonNode claims = KeycloakServer.claims(first);
    assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer);
    assertThat(claims.path("azp").asText()).isEqualTo("workflow-adapter");
    assertThat(claims.path("realm_access").path("roles").get(0).asText()).isEqualTo("adapter");
    assertThat(tokens.current()).as("kept until it nears its end").isEqualTo(first);

    assertThat(tokens.refresh(first)).isTrue();
    assertThat(tokens.current()).isNotEqualTo(first);
  }

  @Test
  void aWrongSecretIsRefusedByNameNotByValue() {
    AccessTokens tokens =
        AccessTokens.clientCredentials(
            URI.create(keycloak.issuer), "workflow-adapter", () -> "not-the-secret-42");
    assertThatThrownBy(tokens::current)
        .isInstanceOf(WorkflowApiClientException.class)
        .hasMessageContaining("refused client workflow-adapter")
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("not-the-secret-42");
  }
}
