package io.kaapana.workflow.adapter.kubeflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.tck.WorkflowAdapterContractTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The adapter TCK against the stub KFP API server ({@link KfpServerStub}), which checks every
 * exchange against KFP 2.17's Swagger documents, with pipelines the kfp SDK compiled.
 */
class KubeflowAdapterContractTest extends WorkflowAdapterContractTest {

  private static KfpServerStub kfp;

  @BeforeAll
  static void startKfp() throws IOException {
    kfp = KfpServerStub.start(Path.of("target", "kfp-stub-tck").toAbsolutePath());
  }

  @AfterAll
  static void everyExchangeMatchedTheSwaggerDocuments() {
    try {
      assertThat(kfp.requests()).isNotEmpty();
      assertThat(kfp.violations()).as("exchanges that depart from KFP's API").isEmpty();
    } finally {
      kfp.close();
    }
  }

  @Override
  protected String factoryId() {
    return "kubeflow";
  }

  @Override
  protected AdapterConfig config(Path workDirectory) {
    try {
      Path token = Files.writeString(workDirectory.resolve("token"), kfp.token() + "\n");
      // The stub serves the installation's argo-server too, for the logs.
      return AdapterConfig.of(
          "kubeflow.url",
          kfp.url(),
          "kubeflow.token-file",
          token.toString(),
          "kubeflow.argo-url",
          kfp.url(),
          "kubeflow.argo-token-file",
          token.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Samples samples(Path workDirectory) {
    return new Samples(
        revision("three-tasks"),
        List.of("fetch", "convert", "report"),
        "fetching 3 series for anonymous",
        revision("fails-once"),
        Map.of("marker", workDirectory.resolve("segment-failed-once").toString()),
        "segment",
        revision("sleeps"),
        "wait",
        "waiting for the scanner",
        revision("invalid"));
  }

  static RevisionSpec revision(String sample) {
    return new RevisionSpec(
        UUID.randomUUID().toString(), 1, "tck-" + sample, pipeline(sample), null, Map.of());
  }

  static String pipeline(String sample) {
    try (InputStream in =
        KubeflowAdapterContractTest.class.getResourceAsStream("/pipelines/" + sample + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
