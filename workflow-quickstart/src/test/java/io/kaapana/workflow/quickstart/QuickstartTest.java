package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.RetryScope;
import io.kaapana.workflow.client.model.RunState;
import io.kaapana.workflow.client.model.ValidationStatus;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quick start as the README runs it: the embedded local adapter registers, validates the two
 * samples, and the README's runs behave as described.
 */
@QuarkusTest
@TestProfile(QuickstartTest.EmbeddedAdapterOn.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class QuickstartTest {

  /** The quick start's own settings, with the engine's data in a fresh directory. */
  public static class EmbeddedAdapterOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path data = Files.createTempDirectory("quickstart-test");
        return Map.of(
            "kaapana.quickstart.embedded-adapter", "true",
            "kaapana.quickstart.samples", "true",
            "kaapana.quickstart.data-dir", data.toString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @TestHTTPResource("/")
  URL apiUrl;

  @Test
  void theSamplesArePostedAndValidatedAndTheTourWorks() {
    WorkflowApiClient api = WorkflowApiClient.builder(URI.create(apiUrl.toString())).build();
    List<Workflow> samples =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    api.workflows()
                        .list(Query.workflows().labelSelector("kaapana.experiment=quickstart"))
                        .items(),
                list ->
                    list.size() == 2
                        && list.stream()
                            .allMatch(w -> w.validation().status() == ValidationStatus.VALID));
    assertThat(samples)
        .extracting(Workflow::title)
        .containsExactlyInAnyOrder("hello-pipeline", "flaky-segmentation");
    assertThat(api.adapters().list())
        .anySatisfy(
            a -> {
              assertThat(a.id()).isEqualTo("local-embedded");
              assertThat(a.status()).isEqualTo("ACTIVE");
            });

    WorkflowRun hello =
        api.runs()
            .create(
                CreateWorkflowRun.of(
                    "hello-pipeline", Map.of("name", "README", "delay_seconds", 0)));
    WorkflowRun flaky = api.runs().create(CreateWorkflowRun.of("flaky-segmentation", Map.of()));
    assertThat(
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> api.runs().get(hello.id()), r -> r.finishedAt() != null)
                .lifecycleStatus())
        .isEqualTo(RunState.COMPLETED);
    WorkflowRun failed =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> api.runs().get(flaky.id()), r -> r.finishedAt() != null);
    assertThat(failed.lifecycleStatus()).isEqualTo(RunState.ERROR);
    assertThat(failed.statusMessage()).contains("segment");

    api.runs().retry(flaky.id(), RetryScope.FAILED, "README tour");
    WorkflowRun retried =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> api.runs().get(flaky.id()),
                r -> r.attempt() == 2 && r.finishedAt() != null && r.requestedAction() == null);
    assertThat(retried.lifecycleStatus()).isEqualTo(RunState.COMPLETED);
  }
}
