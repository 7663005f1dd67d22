package io.kaapana.workflow.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged application ({@code java -jar …/quarkus-run.jar}) started as a user starts it: in a
 * working directory of its own, with a home directory of its own and only the environment given
 * (nothing of the build's datasource settings leaks in), listening on a free loopback port. Its
 * output goes to {@code log}.
 */
final class PackagedApp implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path SERVICE =
      ROOT.resolve("workflow-api-service/target/quarkus-app/quarkus-run.jar");
  static final Path QUICKSTART =
      ROOT.resolve("workflow-quickstart/target/quarkus-app/quarkus-run.jar");

  final String url;
  final Path log;
  private final Process process;

  private PackagedApp(String url, Path log, Process process) {
    this.url = url;
    this.log = log;
    this.process = process;
  }

  static PackagedApp start(Path jar, Path workDir, Path home, Map<String, String> environment)
      throws IOException {
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: mvn install builds it");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx256m", "-Duser.home=" + home, "-jar", jar.toString())
            .directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("KAAPANA_"));
    env.put("HOME", home.toString());
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.putAll(environment);
    Path log = workDir.resolve("app.log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new PackagedApp("http://127.0.0.1:" + port, log, builder.start());
  }

  /** Waits until {@code /q/health/ready} answers 200; fails if the process ends first. */
  void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("it ended at start:\n" + output());
      }
      if (status("/q/health/ready") == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not ready within 120 s:\n" + output());
  }

  /** The status of a GET, or -1 while nothing listens. */
  int status(String path) throws InterruptedException {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The exit code once the process has ended by itself (at most 120 s). */
  int awaitExit() throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new AssertionError("still running after 120 s:\n" + output());
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  List<String> outputLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM, as a container runtime stops it
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
