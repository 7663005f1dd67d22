package io.kaapana.workflow.service.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The console's entry points on a service without an identity provider: the root leads to it, its
 * files come with a policy that keeps the page to this origin, and it needs no sign-in.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleRoutesTest {

  @Test
  void theRootAndUiLeadToTheConsole() {
    for (String path : new String[] {"/", "/ui"}) {
      given()
          .redirects()
          .follow(false)
          .get(path)
          .then()
          .statusCode(302)
          .header("Location", matchesConsole());
    }
    // Nothing else is redirected: an unknown path stays a 404 problem.
    given().redirects().follow(false).get("/uix").then().statusCode(404);
  }

  private static org.hamcrest.Matcher<String> matchesConsole() {
    return org.hamcrest.Matchers.matchesPattern("(http://[^/]+)?/ui/");
  }

  @Test
  void theConsolesFilesComeWithAPolicyThatKeepsThePageToThisOrigin() {
    given()
        .get("/ui/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .header("Content-Security-Policy", containsString("script-src 'self';"))
        .header("Content-Security-Policy", containsString("connect-src 'self';"))
        .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
        .header("X-Frame-Options", "DENY")
        .body(containsString("js/app.js"))
        .body(not(containsString("<script>")));
    given()
        .get("/ui/vendor/dagre.min.js")
        .then()
        .statusCode(200)
        .header("Content-Security-Policy", containsString("default-src 'none'"));
    given().get("/ui/config.json").then().statusCode(200).body("auth", nullValue());
  }

  @Test
  void withoutAnIdentityProviderTheCallerIsTheLocalOperator() {
    given()
        .get("/v1/caller")
        .then()
        .statusCode(200)
        .body("actor", equalTo("local"))
        .body("roles", containsInAnyOrder("user", "adapter", "workflow-developer", "admin"))
        .body("projects", nullValue());
  }
}
