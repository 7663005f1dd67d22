package io.kaapana.workflow.quickstart;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An adapter runtime with the local engine as a separate OS process, configured by environment
 * variables as a sidecar would be. Its output goes to {@code target/e2e-logs/<id>.log}.
 */
final class RuntimeProcess implements AutoCloseable {
  final String id;
  final Path dataDirectory;
  private final Process process;

  private RuntimeProcess(String id, Path dataDirectory, Process process) {
    this.id = id;
    this.dataDirectory = dataDirectory;
    this.process = process;
  }

  static RuntimeProcess start(
      URL api, String id, String labelSelector, Path dataDirectory, int leaseSeconds)
      throws IOException {
    return start(api, "local", id, labelSelector, dataDirectory, leaseSeconds);
  }

  static RuntimeProcess start(
      URL api, String kind, String id, String labelSelector, Path dataDirectory, int leaseSeconds)
      throws IOException {
    return start(api, kind, id, labelSelector, dataDirectory, leaseSeconds, Map.of());
  }

  /** With more environment variables, e.g. {@code KAAPANA_AIRFLOW_URL}. */
  static RuntimeProcess start(
      URL api,
      String kind,
      String id,
      String labelSelector,
      Path dataDirectory,
      int leaseSeconds,
      Map<String, String> environment)
      throws IOException {
    Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.kaapana.workflow.adapter.runtime.AdapterRuntimeMain");
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("KAAPANA_ADAPTER_API_URL", api.toString());
    env.put("KAAPANA_ADAPTER_KIND", kind);
    env.put("KAAPANA_ADAPTER_ID", id);
    env.put("KAAPANA_ADAPTER_LABEL_SELECTOR", labelSelector);
    env.put("KAAPANA_ADAPTER_LEASE_SECONDS", Integer.toString(leaseSeconds));
    env.put("KAAPANA_ADAPTER_CLAIM_WAIT", "5s");
    env.put("KAAPANA_ADAPTER_SYNC_INTERVAL", "500ms");
    env.put("KAAPANA_ADAPTER_DATA_DIR", dataDirectory.toString());
    env.put("KAAPANA_LOCAL_ALLOW_COMMANDS", "true");
    env.putAll(environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(logs.resolve(id + ".log").toFile());
    return new RuntimeProcess(id, dataDirectory, builder.start());
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no unregistering, child processes orphaned. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean shutdown that releases the runs it holds. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
