package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.argo.ArgoServerStub;
import io.kaapana.workflow.client.model.LogLine;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Argo scenarios against the stub argo-server, which checks every exchange against
 * argo-server's Swagger documents and runs the templates' commands as local processes: so the
 * tasks' real output is in their logs, a cancel is seen to end the task's process, and logs are
 * served from the archive once the pods are collected (what kwok cannot play for {@link
 * RealArgoEndToEndTest}).
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class ArgoEndToEndTest extends ArgoEndToEndScenarios {
  private static final Pattern PID = Pattern.compile("sleeping as pid (\\d+)");
  private static final String NAMESPACE = "kaapana-e2e";

  private static ArgoServerStub argo;

  private long sleepingPid;

  @Override
  Duration settle() {
    return Duration.ofSeconds(60);
  }

  @BeforeAll
  static void startArgo() throws IOException {
    argo =
        ArgoServerStub.start(
            Path.of("target", "argo-stub-e2e").toAbsolutePath(),
            ArgoServerStub.Options.defaults().withPodGcAfter(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void everyExchangeMatchedTheSwaggerDocuments() {
    try {
      assertThat(argo.violations()).as("exchanges that depart from argo-server's API").isEmpty();
    } finally {
      argo.close();
    }
  }

  @Override
  Map<String, String> argoSettings() throws IOException {
    Path tokenFile = Files.writeString(work.resolve("token"), argo.token() + "\n");
    return Map.of(
        "KAAPANA_ARGO_URL", argo.url(),
        "KAAPANA_ARGO_NAMESPACE", NAMESPACE,
        "KAAPANA_ARGO_TOKEN_FILE", tokenFile.toString());
  }

  @Override
  List<String> logOf(String sample, String task, int attempt) {
    return switch (sample + "/" + task + "/" + attempt) {
      case "three-tasks/fetch/1" -> List.of("fetching 3 series for p-42", "done");
      case "fails-once/segment/1" -> List.of("model weights not found");
      case "fails-once/segment/2" -> List.of("segmented on a later try");
      default -> throw new IllegalArgumentException(sample + "/" + task + "/" + attempt);
    };
  }

  @Override
  JsonNode argoWorkflow(String name) {
    return argo.workflow(NAMESPACE, name);
  }

  @Override
  boolean templateExists(String name) {
    return argo.templateNames(NAMESPACE).contains(name);
  }

  @Override
  void whileTheTaskSleeps(WorkflowRun run, TaskRun wait) {
    sleepingPid = awaitPid(run.id(), wait, PID);
    assertThat(alive(sleepingPid)).as("the task's process runs").isTrue();
  }

  @Override
  void afterTheCancel(WorkflowRun run) {
    assertThat(alive(sleepingPid)).as("task process %d", sleepingPid).isFalse();
  }

  @Test
  void logsOfAFinishedRunAreServedFromTheArchiveOnceItsPodsAreGone() throws Exception {
    Workflow workflow = workflow("three-tasks", "archived-logs");
    WorkflowRun run = start(workflow, Map.of());
    awaitRun(run.id(), EndToEndSupport::settled);
    TaskRun fetch = task(run.id(), "fetch");
    List<LogLine> live = logLines(run.id(), fetch, 1);
    Thread.sleep(3_000); // the stub deletes pods 2 s after their workflow ended
    List<LogLine> archived = logLines(run.id(), fetch, 1);

    assertThat(archived).isEqualTo(live);
    assertThat(argo.requests())
        .anySatisfy(r -> assertThat(r).startsWith("GET /artifacts/" + NAMESPACE + "/kaapana-"));
  }
}
