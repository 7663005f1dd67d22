package io.kaapana.workflow.adapter.local;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A task process's output into its attempt log, and its input from nowhere. */
final class ProcessOutput {
  private ProcessOutput() {}

  static void pump(InputStream stream, String name, AttemptLog log) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.append(name, line);
      }
    } catch (IOException e) {
      // the stream was closed under us: the process is gone
    }
  }

  /**
   * Waits briefly for a pump: a background grandchild may hold the pipe open after the task's
   * process exited, and must not keep the task running.
   */
  static void drain(Future<?> pump, InputStream stream) throws InterruptedException {
    try {
      pump.get(2, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // nothing more to read
      }
    } catch (ExecutionException e) {
      // pump failures end the stream only
    }
  }

  static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
