package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.Adapter;
import io.kaapana.workflow.client.model.CreateWorkflow;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowReference;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.service.security.KeycloakServer;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product as deployed, end to end: the packaged service checking tokens of a real Keycloak, an
 * adapter runtime that signs in with its client's credentials, and users of two projects. The
 * service reads logs from the adapter with its own token; the adapter answers nobody else.
 */
class SecuredEndToEndTest {
  private static KeycloakServer keycloak;
  private static ServiceJar service;
  private static RuntimeProcess runtime;

  @BeforeAll
  static void start() throws Exception {
    keycloak = KeycloakServer.start();
    service =
        ServiceJar.start(
            "secured-e2e",
            Map.of(
                "KAAPANA_AUTH_ISSUER",
                keycloak.issuer,
                "KAAPANA_AUTH_CLIENT_SECRET",
                "workflow-api-secret"));
    runtime =
        RuntimeProcess.start(
            new URL(service.url + "/"),
            "local",
            "secured-local",
            "e2e.test=secured",
            Files.createTempDirectory("secured-adapter"),
            30,
            Map.of(
                "KAAPANA_ADAPTER_AUTH_ISSUER", keycloak.issuer,
                "KAAPANA_ADAPTER_AUTH_CLIENT_ID", "workflow-adapter",
                "KAAPANA_ADAPTER_AUTH_CLIENT_SECRET", "workflow-adapter-secret"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
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

  @Test
  void aUsersRunIsServedByATokenAdapterAndOnlyTheServiceReadsItsLogs() throws Exception {
    WorkflowApiClient dana = as("dana");
    WorkflowApiClient alice = as("alice");
    WorkflowApiClient bob = as("bob");
    Path samples = Path.of("src/main/resources/samples");
    String definition = Files.readString(samples.resolve("hello-pipeline.yaml"));
    Map<String, Object> schema =
        new ObjectMapper()
            .readValue(
                samples.resolve("hello-pipeline.schema.json").toFile(),
                new TypeReference<Map<String, Object>>() {});
    Workflow workflow =
        dana.workflows()
            .create(
                new CreateWorkflow(
                    "secured-hello",
                    "local",
                    definition,
                    schema,
                    Map.of("e2e.test", "secured"),
                    null));
    WorkflowRun run =
        alice
            .runs()
            .create(
                new CreateWorkflowRun(
                    WorkflowReference.byId(workflow.id()),
                    Map.of("name", "secure", "delay_seconds", 0),
                    null));
    assertThat(run.labels()).containsEntry("kaapana.io/project", "project-a");
    WorkflowRun done =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> alice.runs().get(run.id()),
                r ->
                    r.lifecycleStatus() == RunState.COMPLETED
                        || r.lifecycleStatus() == RunState.ERROR);
    assertThat(done.lifecycleStatus()).as(done.statusMessage()).isEqualTo(RunState.COMPLETED);
    TaskRun fetch =
        alice
            .runs()
            .taskRuns(done.id(), io.kaapana.workflow.client.Query.taskRuns().taskTitle("fetch"))
            .items()
            .get(0);
    // through the service, which calls the adapter with its own token
    assertThat(alice.runs().logs(done.id(), fetch.id(), 1, null, 100).lines())
        .anySatisfy(line -> assertThat(line.message()).contains("fetching series for secure"));
    // another project's user does not see the run at all
    assertThatThrownBy(() -> bob.runs().logs(done.id(), fetch.id(), 1, null, 100))
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(404));

    // the adapter's endpoint answers nobody but the service
    Adapter adapter =
        as("root").adapters().list().stream()
            .filter(a -> a.id().equals("secured-local"))
            .findFirst()
            .orElseThrow();
    URI direct =
        URI.create(
            adapter.endpointUrl() + "/v1/runs/" + done.id() + "/task-runs/fetch/logs?attempt=1");
    assertThat(status(direct, null)).as("no token").isEqualTo(401);
    assertThat(status(direct, keycloak.userToken("alice", "alice-password")))
        .as("a user's token")
        .isEqualTo(401);
    assertThat(status(direct, keycloak.clientToken("workflow-api", "workflow-api-secret")))
        .as("the service's token")
        .isEqualTo(200);
  }

  /** The status of a GET of {@code uri}, with {@code token} as bearer token if not null. */
  private static int status(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
