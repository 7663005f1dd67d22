package io.kaapana.workflow.adapter.kubeflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The sample pipelines are what the kfp SDK compiles: {@code src/test/pipelines/samples.py},
 * compiled again with the SDK pinned in {@code scripts/kubeflow/requirements-kfp.txt} (installed by
 * {@code scripts/kubeflow/kfp-env.sh} into a cached virtual environment), must give the committed
 * {@code src/test/resources/pipelines/*.yaml} byte for byte.
 */
class CompiledPipelinesTest {

  @Test
  void theCommittedPipelinesAreWhatThePinnedSdkCompiles() throws Exception {
    Assumptions.assumeFalse(
        "skip".equals(System.getenv("KAAPANA_KFP_SDK")),
        "kfp SDK tests skipped: KAAPANA_KFP_SDK=skip (the package registry was unreachable)");
    Path out = Files.createDirectories(Path.of("target", "compiled-pipelines").toAbsolutePath());
    Process compile =
        new ProcessBuilder("bash", script().toString(), "compile", out.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("compile.log").toFile())
            .start();
    assertThat(compile.waitFor(10, TimeUnit.MINUTES)).as("the compile finished").isTrue();
    assertThat(compile.exitValue())
        .as("kfp-env.sh compile: %s", Files.readString(out.resolve("compile.log")))
        .isZero();
    for (String sample : new String[] {"three-tasks", "fails-once", "sleeps"}) {
      assertThat(Files.readString(out.resolve(sample + ".yaml"), StandardCharsets.UTF_8))
          .as("%s.yaml (run scripts/kubeflow/kfp-env.sh compile after changing samples.py)", sample)
          .isEqualTo(KubeflowAdapterContractTest.pipeline(sample));
    }
  }

  private static Path script() throws IOException {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path script = directory.resolve("scripts/kubeflow/kfp-env.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
      directory = directory.getParent();
    }
    throw new IOException("scripts/kubeflow/kfp-env.sh not found above the work dir");
  }
}
