package io.kaapana.workflow.service.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.kaapana.workflow.service.ServedOpenApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Generated from the served OpenAPI document, so that a new operation cannot be forgotten: each one
 * declares the roles it takes, refuses a request without a token with 401, and refuses every test
 * token that holds none of those roles with 403.
 */
@QuarkusTest
@TestProfile(Secured.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class EveryOperationIsGuardedTest {
  /** Test tokens and the service roles each one holds (see the realm in scripts/keycloak). */
  private static final Map<String, Set<String>> TOKENS =
      Map.of(
          "alice", Set.of("user"),
          "adapter", Set.of("adapter"),
          "root", Set.of("admin"),
          "service", Set.of());

  private record Operation(String method, String path, Set<String> roles) {}

  /** Every operation of the served document, with the roles its security requirement names. */
  private static List<Operation> operations() throws Exception {
    List<Operation> operations = new ArrayList<>();
    for (ServedOpenApi.Operation op : ServedOpenApi.operations()) {
      Set<String> roles = new HashSet<>();
      op.spec().path("security").forEach(r -> r.path("bearer").forEach(x -> roles.add(x.asText())));
      operations.add(new Operation(op.method(), op.path(), roles));
    }
    return operations;
  }

  private static String concrete(String path) {
    return path.replace("{id}", UUID.randomUUID().toString())
        .replace("{taskRunId}", UUID.randomUUID().toString())
        .replace("{increment}", "1")
        .replace("{adapterId}", "guard-test");
  }

  private static Response send(RequestSpecification request, Operation op) {
    if (!op.method().equals("GET") && !op.method().equals("DELETE")) {
      request.contentType("application/json").body("{}");
    }
    return request.request(op.method(), concrete(op.path()));
  }

  @Test
  void everyOperationNeedsATokenAndOneOfItsRoles() throws Exception {
    List<Operation> operations = operations();
    assertThat(operations).hasSizeGreaterThan(25);
    Map<String, String> tokens = new java.util.HashMap<>();
    for (String name : TOKENS.keySet()) {
      tokens.put(name, SecuredApiTest.token(name));
    }
    int refusals = 0;
    for (Operation op : operations) {
      String name = op.method() + " " + op.path();
      assertThat(op.roles())
          .as(name + " declares the roles it takes")
          .isNotEmpty()
          .contains("admin");
      Response anonymous = send(given(), op);
      assertThat(anonymous.statusCode()).as(name + " without a token").isEqualTo(401);
      assertThat(anonymous.header("WWW-Authenticate")).as(name).startsWith("Bearer");
      assertThat(anonymous.jsonPath().getString("code")).as(name).isEqualTo("unauthorized");
      for (Map.Entry<String, Set<String>> token : TOKENS.entrySet()) {
        if (token.getValue().stream().anyMatch(op.roles()::contains)) {
          continue;
        }
        Response wrongRole = send(given().auth().oauth2(tokens.get(token.getKey())), op);
        assertThat(wrongRole.statusCode())
            .as(name + " with the token of " + token.getKey())
            .isEqualTo(403);
        assertThat(wrongRole.jsonPath().getString("code")).as(name).isEqualTo("forbidden");
        assertThat(wrongRole.jsonPath().getList("required_roles", String.class))
            .as(name)
            .containsExactlyInAnyOrderElementsOf(op.roles());
        refusals++;
      }
    }
    // every operation refuses at least the service's own token, which holds no API role
    assertThat(refusals).isGreaterThanOrEqualTo(operations.size());
  }
}
