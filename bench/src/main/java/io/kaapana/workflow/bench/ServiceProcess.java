package io.kaapana.workflow.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as users run it ({@code java -Xmx160m -XX:+UseSerialGC -jar …/quarkus-run.jar})
 * against the benchmark's database: its start-up time (process start until {@code /q/health/ready}
 * answers 200) and its resident memory ({@code VmRSS} of the JVM process).
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  final double startupSeconds;

  private ServiceProcess(Process process, int port, double startupSeconds) {
    this.process = process;
    this.port = port;
    this.startupSeconds = startupSeconds;
  }

  /** The JVM options docs/operations.md gives for the service (ADR 0022). */
  static final List<String> DOCUMENTED_JVM_OPTIONS = List.of("-Xmx160m", "-XX:+UseSerialGC");

  static ServiceProcess start(Path root, Database database, Path log, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(root, database, log, jvmOptions, Map.of());
  }

  /** With more environment variables, e.g. {@code KAAPANA_AUTH_ISSUER}. */
  static ServiceProcess start(
      Path root,
      Database database,
      Path log,
      List<String> jvmOptions,
      Map<String, String> environment)
      throws IOException, InterruptedException {
    Path jar = root.resolve("workflow-api-service/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn -B install -DskipTests first");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // a measurement aid, not one of the documented options: pauses explain latency outliers
    command.add("-Xlog:gc:file=" + gcLog(log));
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
    env.put("QUARKUS_DATASOURCE_USERNAME", database.user());
    env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.putAll(environment);
    long started = System.nanoTime();
    Process process = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = started + Duration.ofSeconds(120).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service ended at start; see " + log);
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the service was not ready within 120 s; see " + log);
      }
      Thread.sleep(20);
    }
    return new ServiceProcess(process, port, (System.nanoTime() - started) / 1e9);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The JVM's resident set in MiB, from {@code /proc}. */
  /** Where the service's garbage collector logs its pauses: beside its log. */
  static Path gcLog(Path log) {
    return log.resolveSibling("service-gc.log");
  }

  private static final Pattern PAUSE = Pattern.compile("\\] GC\\(\\d+\\) Pause .* ([0-9.]+)ms$");

  /**
   * Pauses of the garbage collector from a log written with {@code -Xlog:gc} after the first {@code
   * skip} lines (those logged before the measured steps), in milliseconds.
   */
  static List<Double> pausesMillis(Path gcLog, int skip) throws IOException {
    List<Double> pauses = new ArrayList<>();
    List<String> lines = Files.readAllLines(gcLog);
    for (String line : lines.subList(Math.min(skip, lines.size()), lines.size())) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses.add(Double.parseDouble(m.group(1)));
      }
    }
    return pauses;
  }

  double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", "" + process.pid(), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    return Double.NaN;
  }

  /** Samples the resident set every 100 ms while {@code work} runs; returns the peak in MiB. */
  <T> T sampled(AtomicLong peakKiB, Work<T> work) throws Exception {
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peakKiB.accumulateAndGet((long) (rssMiB() * 1024), Math::max);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      return work.run();
    } finally {
      sampler.interrupt();
      sampler.join();
    }
  }

  /** A step measured while the memory is sampled. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws Exception;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
