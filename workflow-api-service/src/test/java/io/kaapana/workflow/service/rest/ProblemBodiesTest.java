package io.kaapana.workflow.service.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.kaapana.workflow.service.ServedOpenApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an attacker learns from refusals: every operation of the OpenAPI document is sent bad input
 * (broken JSON, wrong types, bad ids, bad query values), and no problem body may carry a stack
 * trace, SQL, a class or package name. Every response carries the security headers.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ProblemBodiesTest {
  private static final Pattern LEAK =
      Pattern.compile(
          "Exception|\\bat [a-z]+\\.|\\bjava\\.|\\bjavax?\\.|\\bio\\.(kaapana|quarkus|vertx|smallrye)"
              + "|\\borg\\.[a-z]|\\bcom\\.fasterxml|(?i:\\bselect .* from\\b|\\binsert into\\b"
              + "|\\bupdate [a-z_]+ set\\b|sqlstate|jdbc|postgres)|[A-Z][a-zA-Z]+Feature\\.");

  private static final List<String> BODIES =
      List.of("{", "[1]", "{\"labels\": [1], \"limit\": \"x\", \"workflow\": 7}", "\"\\u0000\"");

  @Test
  void noRefusalTellsHowTheServiceIsBuilt() throws Exception {
    List<String> checked = new ArrayList<>();
    for (ServedOpenApi.Operation operation : ServedOpenApi.operations()) {
      String method = operation.method();
      for (String id : List.of("not-a-uuid", "01a23839-6213-72df-8a5c-8b1aacefc4b7")) {
        String url =
            operation
                .path()
                .replace("{id}", id)
                .replace("{taskRunId}", id)
                .replace("{increment}", "x")
                .replace("{adapterId}", "bad id!");
        List<Response> answers = new ArrayList<>();
        answers.add(
            given()
                .queryParam("limit", "-1")
                .queryParam("label_selector", "((")
                .queryParam("page_token", "%%%")
                .request(method, url));
        if (!method.equals("GET") && !method.equals("DELETE")) {
          for (String body : BODIES) {
            answers.add(given().contentType("application/json").body(body).request(method, url));
          }
        }
        for (Response answer : answers) {
          String name = method + " " + url + " -> " + answer.statusCode();
          assertThat(answer.header("X-Content-Type-Options")).as(name).isEqualTo("nosniff");
          if (answer.statusCode() >= 400) {
            assertThat(answer.statusCode()).as(name).isLessThan(500);
            assertThat(answer.contentType()).as(name).startsWith("application/problem+json");
            String body = answer.asString();
            assertThat(LEAK.matcher(body).find()).as(name + ": " + body).isFalse();
            checked.add(name);
          }
        }
      }
    }
    assertThat(checked).hasSizeGreaterThan(100);
  }
}
