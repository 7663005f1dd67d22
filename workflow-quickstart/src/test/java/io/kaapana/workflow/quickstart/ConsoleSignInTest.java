package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.service.security.KeycloakServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console of a service that checks tokens: it signs in through a real Keycloak (authorization
 * code with PKCE, as the realm's public client workflow-console), calls the API with the user's
 * token, keeps a deep link across the sign-in, shows Admin to admins only, and signs out.
 */
class ConsoleSignInTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KeycloakServer keycloak;
  private static ServiceJar service;
  private static Workflow workflow;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // The test realm registers the console at port 8080; this service listens elsewhere.
    Path realmFile = ServiceJar.ROOT.resolve("scripts/keycloak/kaapana-realm.json");
    ObjectNode realm = (ObjectNode) JSON.readTree(realmFile.toFile());
    for (var client : realm.withArray("clients")) {
      if ("workflow-console".equals(client.path("clientId").asText())) {
        ((ObjectNode) client)
            .set("redirectUris", JSON.createArrayNode().add("http://127.0.0.1:" + port + "/ui/"));
      }
    }
    Path realmCopy = Files.createDirectories(Path.of("target", "console-sign-in"));
    Path patched = realmCopy.resolve("kaapana-realm.json");
    JSON.writeValue(patched.toFile(), realm);
    keycloak =
        KeycloakServer.start(
            ServiceJar.ROOT.resolve("scripts/keycloak/keycloak-env.sh"),
            Path.of("target", "keycloak"),
            Map.of("KAAPANA_KEYCLOAK_REALM", patched.toAbsolutePath().toString()));
    service =
        ServiceJar.start(
            "console-sign-in",
            Map.of(
                "KAAPANA_AUTH_ISSUER",
                keycloak.issuer,
                "KAAPANA_AUTH_CLIENT_SECRET",
                "workflow-api-secret",
                "QUARKUS_HTTP_PORT",
                Integer.toString(port)));
    Path samples = Path.of("src/main/resources/samples");
    workflow =
        as("dana")
            .workflows()
            .create(
                new CreateWorkflow(
                    "console-hello",
                    "local",
                    Files.readString(samples.resolve("hello-pipeline.yaml")),
                    JSON.readValue(
                        samples.resolve("hello-pipeline.schema.json").toFile(),
                        new TypeReference<Map<String, Object>>() {}),
                    Map.of("e2e.test", "console"),
                    null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  private static WorkflowApiClient as(String user) throws Exception {
    return service.clientAs(keycloak, user);
  }

  private static void signInAs(Browser browser, String user) {
    browser.find("#username").sendKeys(user);
    browser.find("#password").sendKeys(user + "-password");
    browser.find("#kc-login").click();
  }

  @Test
  void signsInKeepsTheDeepLinkCallsTheApiAsTheUserAndSignsOut() throws Exception {
    try (Browser browser = Browser.start(1280, 800)) {
      // A deep link opened cold: the provider's sign-in page first, then the page asked for.
      browser.open(service.url + "/ui/#/workflows/" + workflow.id());
      browser.until(
          d -> d.getCurrentUrl().startsWith(keycloak.issuer) ? true : null,
          "Keycloak's sign-in page");
      signInAs(browser, "alice");
      browser.untilText("h1", "console-hello");
      assertThat(browser.driver.getCurrentUrl())
          .isEqualTo(service.url + "/ui/#/workflows/" + workflow.id());
      browser.untilText("#user", "alice");
      assertThat(browser.find("[data-nav=admin]").isDisplayed()).isFalse();

      // The run alice starts is hers: her project, her name in the history.
      WebElement delay = browser.find("#param-delay_seconds");
      delay.clear();
      delay.sendKeys("0");
      browser.find("form.start-run button[type=submit]").click();
      browser.untilText("#run-state", "CREATED");
      UUID runId = UUID.fromString(browser.driver.getCurrentUrl().replaceAll(".*#/runs/", ""));
      WorkflowRun run = as("alice").runs().get(runId);
      assertThat(run.labels()).containsEntry("kaapana.io/project", "project-a");
      assertThat(as("alice").runs().history(runId, 0, 100).items())
          .anySatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
      browser.untilText("section[aria-label=History]", "alice");
      browser.screenshot("signed-in");

      assertThat(as("alice").caller().projects()).containsExactly("project-a");
      // Another project's user does not see it.
      assertThat(as("bob").runs().list(Query.runs().workflowId(workflow.id())).items()).isEmpty();

      browser.find("#user .sign-out").click();
      browser.until(
          d -> d.findElement(By.id("username")), "the sign-in page again after signing out");

      signInAs(browser, "root");
      browser.untilText("#user", "root");
      browser.until(
          d -> d.findElement(By.cssSelector("[data-nav=admin]")).isDisplayed() ? true : null,
          "the Admin link for an admin");
      browser.find("[data-nav=admin]").click();
      browser.find("section[aria-label='Audit log'] table");
      // A purge (nothing is archived) after the browser's confirmation, recorded under root.
      browser
          .until(d -> d.findElement(By.xpath("//button[text()='Purge']")), "the Purge button")
          .click();
      browser.until(d -> d.switchTo().alert(), "the confirmation").accept();
      browser.untilText("section[aria-label=Purge]", "Deleted: 0 workflows");
      browser.untilText("section[aria-label='Audit log'] tbody", "root");
      browser.assertNoConsoleErrors();
    }
  }

  @Test
  void theConsolesPolicyLetsItTalkToTheIdentityProviderOnly() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var answer =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create(service.url + "/ui/")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    String policy = answer.headers().firstValue("Content-Security-Policy").orElseThrow();
    String keycloakOrigin = keycloak.issuer.replaceAll("(https?://[^/]+).*", "$1");
    assertThat(policy).contains("connect-src 'self' " + keycloakOrigin + ";");
    var config =
        JSON.readTree(
            http.send(
                    java.net.http.HttpRequest.newBuilder(
                            URI.create(service.url + "/ui/config.json"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(config.path("auth").path("issuer").asText()).isEqualTo(keycloak.issuer);
    assertThat(config.path("auth").path("client_id").asText()).isEqualTo("workflow-console");
    assertThat(List.of(config.path("auth").path("scope").asText())).containsExactly("openid");
  }
}
