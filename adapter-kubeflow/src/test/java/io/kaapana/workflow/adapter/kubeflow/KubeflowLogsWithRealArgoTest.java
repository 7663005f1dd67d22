package io.kaapana.workflow.adapter.kubeflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kaapana.workflow.adapter.argo.RealArgo;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.spi.RunRef;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Kubeflow adapter's log path against a real argo-server and controller ({@link RealArgo}, kwok
 * playing the pods): a workflow shaped as KFP 2.17 compiles a pipeline (the task a DAG node of
 * template {@code system-container-executor} inside {@code root}, its pod the child {@code
 * executor} of template {@code system-container-impl}), labelled with its KFP run id, is found by
 * that label, and its task's pod is named and read as Argo names it.
 */
class KubeflowLogsWithRealArgoTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void aTasksLogIsReadFromTheExecutorPodOfTheRunsWorkflow() throws Exception {
    RealArgo argo = RealArgo.shared();
    String kfpRunId = UUID.randomUUID().toString();
    String workflow = "three-tasks-" + kfpRunId.substring(0, 5);
    submit(argo, workflow, kfpRunId);
    awaitSucceeded(argo, workflow);

    KubeflowLogs logs =
        new KubeflowLogs(
            KubeflowSettings.from(
                AdapterConfig.of(
                    "kubeflow.url", "http://127.0.0.1:9",
                    "kubeflow.argo-url", argo.url(),
                    "kubeflow.argo-namespace", argo.namespace(),
                    "kubeflow.argo-token-file", argo.tokenFile().toString())));
    RunRef run = new RunRef("kaapana-run", kfpRunId, null, 1);
    LogPage page = logs.read(new LogQuery(run, "fetch", null, 1, null, 100), kfpRunId, 1, true);
    assertThat(page.lines()).extracting(LogPage.LogLine::message).isEqualTo(RealArgo.LOG_LINES);
    assertThat(page.complete()).isTrue();
    assertThat(page.lines().get(0).metadata().get("pod"))
        .startsWith(workflow + "-system-container-impl-");

    LogPage second = logs.read(new LogQuery(run, "fetch", null, 1, null, 1), kfpRunId, 1, true);
    LogPage rest =
        logs.read(new LogQuery(run, "fetch", null, 1, second.nextCursor(), 100), kfpRunId, 1, true);
    assertThat(rest.lines()).hasSize(RealArgo.LOG_LINES.size() - 1);
    assertThatThrownBy(
            () -> logs.read(new LogQuery(run, "fetch", null, 1, null, 10), kfpRunId, 2, true))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    LogPage none =
        logs.read(
            new LogQuery(run, "fetch", null, 1, null, 10), UUID.randomUUID().toString(), 1, false);
    assertThat(none.lines()).as("no workflow for that run (yet)").isEmpty();
    assertThat(none.complete()).isFalse();
  }

  private static void submit(RealArgo argo, String name, String kfpRunId) throws Exception {
    JsonNode spec =
        YAML.readTree(
            """
            entrypoint: entrypoint
            templates:
              - name: entrypoint
                dag:
                  tasks:
                    - {name: root, template: root}
              - name: root
                dag:
                  tasks:
                    - {name: fetch-driver, template: system-container-driver}
                    - {name: fetch, template: system-container-executor,
                       depends: fetch-driver.Succeeded}
              - name: system-container-driver
                container: {image: ghcr.io/kubeflow/kfp-driver, command: [driver]}
              - name: system-container-executor
                dag:
                  tasks:
                    - {name: executor, template: system-container-impl}
              - name: system-container-impl
                container: {image: busybox:1.36, command: [sh, -c, "echo fetching"]}
            """);
    ObjectNode body = KubeflowHttp.JSON.createObjectNode();
    ObjectNode workflow = body.putObject("workflow");
    ObjectNode metadata = workflow.putObject("metadata");
    metadata.put("name", name);
    metadata.putObject("labels").put(KubeflowLogs.RUN_ID_LABEL, kfpRunId);
    workflow.set("spec", spec);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(argo.url() + "/api/v1/workflows/" + argo.namespace()))
                    .header("Authorization", "Bearer " + Files.readString(argo.tokenFile()).strip())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("create: %s", response.body()).isEqualTo(200);
  }

  private static void awaitSucceeded(RealArgo argo, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String phase = "";
    while (System.nanoTime() < deadline) {
      phase = argo.workflow(name).path("status").path("phase").asText();
      if (phase.equals("Succeeded")) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(name + " is " + phase + ", not Succeeded");
  }
}
