package io.kaapana.workflow.adapter.airflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Airflow on loopback for the tests, started once per JVM and major version through {@code
 * scripts/airflow/airflow-env.sh} (which installs it into a cached virtual environment first). It
 * stops when the JVM exits; the script also stops it when it finds the JVM gone.
 *
 * <p>{@code KAAPANA_AIRFLOW_IT=skip} is set by {@code .ci/run} only when the package registry
 * cannot be reached and no installation is cached; then the Airflow tests are aborted with that
 * reason.
 */
public final class AirflowServer {

  private static final Map<Integer, AirflowServer> SHARED = new ConcurrentHashMap<>();

  private final int major;
  private final String url;
  private final Path workDirectory;
  private final String password;
  private final Process process;

  private AirflowServer(int major, String url, Path workDirectory, Process process)
      throws IOException {
    this.major = major;
    this.url = url;
    this.workDirectory = workDirectory;
    this.password = Files.readString(workDirectory.resolve("password")).strip();
    this.process = process;
  }

  /** The Airflow of this major version (2 or 3), started on first use. */
  public static AirflowServer shared(int major) {
    assumeAirflowTestsRun();
    return SHARED.computeIfAbsent(major, AirflowServer::start);
  }

  /** Aborts the calling test when {@code .ci/run} could not install Airflow (no registry). */
  public static void assumeAirflowTestsRun() {
    Assumptions.assumeFalse(
        "skip".equals(System.getenv("KAAPANA_AIRFLOW_IT")),
        "Airflow tests skipped: KAAPANA_AIRFLOW_IT=skip (the package registry was unreachable)");
  }

  public int major() {
    return major;
  }

  public String url() {
    return url;
  }

  public String username() {
    return "kaapana";
  }

  public String password() {
    return password;
  }

  public Path dagsFolder() {
    return workDirectory.resolve("dags");
  }

  public Path workDirectory() {
    return workDirectory;
  }

  /** The adapter's configuration for this server, as a sidecar would have it. */
  public Map<String, String> adapterConfig() {
    return Map.of(
        "airflow.url",
        url,
        "airflow.username",
        username(),
        "airflow.password",
        password,
        "airflow.dags-folder",
        dagsFolder().toString(),
        "airflow.poll-interval",
        "500ms",
        "airflow.parse-timeout",
        "120s");
  }

  /** The pids of processes whose command line contains the text (e.g. a task's marker). */
  public static List<Long> processesWith(String text) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  private static AirflowServer start(int major) {
    Path script = findScript();
    try {
      // Under target/: logs and DAG files stay for a look after a failure, until mvn clean.
      Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
      Path work = Files.createTempDirectory(target, "airflow-" + major + "-");
      int port = freePorts();
      ProcessBuilder builder =
          new ProcessBuilder(
                  "bash",
                  script.toString(),
                  "run",
                  String.valueOf(major),
                  work.toString(),
                  String.valueOf(port),
                  String.valueOf(ProcessHandle.current().pid()))
              .redirectErrorStream(true);
      Process process = builder.start();
      List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.CompletableFuture<String> ready =
          new java.util.concurrent.CompletableFuture<>();
      // Drain the script's output for its whole life, so it never blocks on a full pipe.
      Thread drain =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("ready ")) {
                      ready.complete(line.substring("ready ".length()).strip());
                    }
                  }
                } catch (IOException e) {
                  // the process ended
                }
                ready.complete(null);
              },
              "airflow-" + major + "-output");
      drain.setDaemon(true);
      drain.start();
      String url;
      try {
        url = ready.get(10, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        url = null;
      }
      if (url == null) {
        process.destroy();
        throw new IllegalStateException(
            "Airflow " + major + " did not start:\n" + String.join("\n", output));
      }
      AirflowServer server = new AirflowServer(major, url, work, process);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-airflow-" + major));
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Airflow " + major, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Airflow " + major, e);
    }
  }

  private void stop() {
    process.destroy(); // the script's trap stops Airflow's processes
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A port whose two successors are free too (Airflow's log servers take them). */
  private static int freePorts() throws IOException {
    for (int tries = 0; tries < 50; tries++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (port < 65000 && free(port + 1) && free(port + 2)) {
        return port;
      }
    }
    throw new IOException("no three free ports in a row");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path findScript() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path script = directory.resolve("scripts/airflow/airflow-env.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
      directory = directory.getParent();
    }
    throw new IllegalStateException("scripts/airflow/airflow-env.sh not found above the work dir");
  }
}
