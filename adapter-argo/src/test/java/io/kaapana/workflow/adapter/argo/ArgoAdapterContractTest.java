package io.kaapana.workflow.adapter.argo;

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
 * The adapter TCK against the stub argo-server ({@link ArgoServerStub}), which checks every request
 * and answer against argo-server's Swagger documents.
 */
class ArgoAdapterContractTest extends WorkflowAdapterContractTest {

  private static ArgoServerStub argo;

  @BeforeAll
  static void startArgo() throws IOException {
    argo = ArgoServerStub.start(Path.of("target", "argo-stub-tck").toAbsolutePath());
  }

  @AfterAll
  static void everyExchangeMatchedTheSwaggerDocuments() {
    try {
      assertThat(argo.requests()).isNotEmpty();
      assertThat(argo.violations()).as("exchanges that depart from argo-server's API").isEmpty();
    } finally {
      argo.close();
    }
  }

  @Override
  protected String factoryId() {
    return "argo";
  }

  @Override
  protected AdapterConfig config(Path workDirectory) {
    try {
      Path token = Files.writeString(workDirectory.resolve("token"), argo.token() + "\n");
      return AdapterConfig.of(
          "argo.url", argo.url(), "argo.namespace", "kaapana", "argo.token-file", token.toString());
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
        revision("undefined-template"));
  }

  static RevisionSpec revision(String sample) {
    return new RevisionSpec(
        UUID.randomUUID().toString(), 1, "tck-" + sample, template(sample), null, Map.of());
  }

  static String template(String sample) {
    try (InputStream in =
        ArgoAdapterContractTest.class.getResourceAsStream("/templates/" + sample + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
