package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void theTargetIsReplacedWholeWithThePermissionsAndNoTemporaryFileStays() throws Exception {
    Path target = dir.resolve("dags").resolve("kaapana_run.py");
    AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8), null);
    AtomicFiles.write(target, "second".getBytes(StandardCharsets.UTF_8), "rw-rw-r--");
    assertThat(Files.readString(target)).isEqualTo("second");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-rw-r--");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }
}
