package io.kaapana.workflow.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL that a test can crash (SIGKILL of the postmaster, as when its machine or
 * container dies) and start again on the same data directory and port.
 */
public class RestartablePostgresResource implements QuarkusTestResourceLifecycleManager {
  private static Path dataDir;
  private static int port;
  private static EmbeddedPostgres current;

  @Override
  public Map<String, String> start() {
    try {
      dataDir = Files.createTempDirectory("restartable-pg");
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      startAgain();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        "quarkus.datasource.username", "postgres",
        "quarkus.datasource.password", "postgres");
  }

  /** Starts the server on the data directory and port it had (recovering after a crash). */
  public static synchronized void startAgain() throws IOException {
    current =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .start();
  }

  /** Kills the postmaster and waits until every server process of it is gone. */
  public static synchronized void crash() throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
    var children = postmaster.children().toList();
    postmaster.destroyForcibly();
    postmaster.onExit().join();
    for (ProcessHandle child : children) {
      child.destroyForcibly(); // backends would notice within a moment; a test does not wait
      child.onExit().join();
    }
    current.close(); // releases the library's lock on the data directory (its stop fails)
  }

  @Override
  public void stop() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        // a crashed server may already be gone
      }
    }
  }
}
