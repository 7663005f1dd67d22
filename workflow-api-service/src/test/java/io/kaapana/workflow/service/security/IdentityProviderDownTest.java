package io.kaapana.workflow.service.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An identity provider that cannot be reached is the service's trouble, not the client's: a request
 * with a token is 503 with Retry-After (it was a 500), one without is still 401.
 */
@QuarkusTest
@TestProfile(IdentityProviderDownTest.Unreachable.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class IdentityProviderDownTest {
  /** An issuer on a loopback port where nothing listens. */
  public static class Unreachable implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("kaapana.auth.issuer", "http://127.0.0.1:1/realms/kaapana");
    }
  }

  @Test
  void aTokenThatCannotBeCheckedIs503AndTheOutageIsLogged() {
    given()
        .auth()
        .oauth2("aaa.bbb.ccc")
        .get("/v1/workflows")
        .then()
        .statusCode(503)
        .header("Retry-After", "5")
        .contentType("application/problem+json")
        .body("code", equalTo("identity-provider-unavailable"))
        .body("retryable", equalTo(true));
    given().get("/v1/workflows").then().statusCode(401);
    Path log = Path.of("target", "quarkus-test.log");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readAllLines(log).stream()
                    .anyMatch(
                        l ->
                            l.contains("identity_provider.unreachable")
                                && l.contains("issuer=http://127.0.0.1:1/realms/kaapana")));
  }
}
