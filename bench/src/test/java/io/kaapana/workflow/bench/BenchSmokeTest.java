package io.kaapana.workflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark at its smoke size (seconds), so that it keeps working: every step runs against the
 * built service and tools, and no request fails. Its numbers are not checked: performance belongs
 * in the documented full run, not in a timed test.
 */
class BenchSmokeTest {
  @TempDir Path home;

  @Test
  void everyStepRunsAndNoRequestFails() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Results results = BenchMain.run(Size.SMOKE, root, home, ServiceProcess.DOCUMENTED_JVM_OPTIONS);

    assertThat(results.steps()).as("floors, load, soak and authentication steps").isEqualTo(19);
    assertThat(results.errors()).as("failed requests").isZero();
    assertThat(Files.readString(root.resolve("bench/target/bench-smoke/results.md")))
        .contains("POST /v1/workflow-runs (run creation)")
        .contains("creation → claim, p50 (ms)")
        .contains("soak: get by id beside creation, 100 streams")
        .contains("soak: RSS peak, 100 streams (MiB)")
        .contains("GET /v1/workflow-runs/{id}, 4 connections, with a bearer token")
        .contains("POST /v1/workflow-runs, 16 connections, with a bearer token");
  }
}
