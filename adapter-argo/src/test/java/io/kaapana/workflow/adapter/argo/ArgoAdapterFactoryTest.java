package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.tck.TestAdapterContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the one call at start tells apart: a wrong setting stops the start, a late server not. */
class ArgoAdapterFactoryTest {
  @TempDir Path directory;

  private ArgoServerStub argo;

  @BeforeEach
  void start() throws Exception {
    argo = ArgoServerStub.start(directory.resolve("argo"));
  }

  @AfterEach
  void stop() {
    argo.close();
  }

  @Test
  void aTokenArgoServerRefusesStopsTheStartAndTheMessageSaysWhatToCheck() {
    assertThatThrownBy(() -> create(argo.url(), "not-the-token"))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage()).contains("401").contains("check the token");
              assertThat(e.getMessage()).doesNotContain("not-the-token");
            });
  }

  @Test
  void aUrlWithoutArgoServersApiStopsTheStart() {
    assertThatThrownBy(() -> create(argo.url() + "/elsewhere", argo.token()))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
  }

  @Test
  void anArgoServerThatIsNotUpYetDoesNotStopTheStart() throws Exception {
    try (WorkflowAdapter adapter = create("http://127.0.0.1:9", "t")) {
      assertThatThrownBy(
              () -> adapter.observe(new io.kaapana.workflow.adapter.spi.RunRef("r", null, null, 1)))
          .isInstanceOfSatisfying(
              AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
  }

  private WorkflowAdapter create(String url, String token) throws AdapterException {
    return new ArgoAdapterFactory()
        .create(
            AdapterConfig.of("argo.url", url, "argo.namespace", "kaapana", "argo.token", token),
            new TestAdapterContext("test", directory));
  }
}
