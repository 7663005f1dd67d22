package io.kaapana.workflow.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end (at most 20 minutes: the first call may build helm), and what it said.
 */
record Command(int exitCode, String out, String err) {
  static Command run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("command", ".out");
    Path err = Files.createTempFile("command", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(20, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("did not end within 20 minutes: " + command);
      }
      return new Command(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  Command succeeded(String what) {
    if (exitCode != 0) {
      throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + out + err);
    }
    return this;
  }
}
