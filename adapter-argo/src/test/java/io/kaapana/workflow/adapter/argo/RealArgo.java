package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes API and Argo Workflows control plane for the tests (kube-apiserver, etcd,
 * kube-scheduler, kwok playing the node and the pods, Argo's controller and argo-server in client
 * auth mode), started once per JVM through {@code scripts/argo/real-argo-env.sh up}, which builds
 * it into the tools cache first when it is not there. It runs in a network namespace of its own;
 * argo-server and the Kubernetes API are relayed to free ports on loopback. It stops when the JVM
 * exits; the script also stops it when it finds the JVM gone.
 *
 * <p>The adapter works with the token of a service account that has exactly the Role that {@code
 * docs/argo-adapter.md} documents, in the namespace {@link #namespace()}.
 */
public final class RealArgo {

  /** Under kwok no process runs: every container's log is these lines (scripts/argo/conf). */
  public static final String FIRST_LOG_LINE =
      "kwok plays this container: no process runs, these lines come from"
          + " scripts/argo/conf/container-log.txt";

  public static final String LAST_LOG_LINE = "the simulated container's last line";

  /** Every line of every container's log. */
  public static final List<String> LOG_LINES =
      List.of(FIRST_LOG_LINE, "a second line of the simulated container", LAST_LOG_LINE);

  private static RealArgo shared;

  private final Path state;
  private final String url;
  private final String namespace;
  private final Path tokenFile;
  private final HttpClient http = HttpClient.newHttpClient();

  private RealArgo(Path state, Map<String, String> printed) {
    this.state = state;
    this.url = printed.get("ARGO_URL");
    this.namespace = printed.get("ARGO_NAMESPACE");
    this.tokenFile = Path.of(printed.get("ARGO_TOKEN_FILE"));
  }

  /** The control plane of this JVM, started on first use. */
  public static synchronized RealArgo shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  public String url() {
    return url;
  }

  /** The namespace the adapter's service account may work in. */
  public String namespace() {
    return namespace;
  }

  /** The adapter's service-account token. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** The adapter's configuration for this control plane, as a sidecar would have it. */
  public Map<String, String> adapterConfig() {
    return Map.of(
        "argo.url", url, "argo.namespace", namespace, "argo.token-file", tokenFile.toString());
  }

  /** The workflow as argo-server gives it to the adapter's service account. */
  public JsonNode workflow(String name) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/api/v1/workflows/" + namespace + "/" + name))
                .header("Authorization", "Bearer " + Files.readString(tokenFile).strip())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET workflow " + name + ": " + response.statusCode() + " " + response.body());
    }
    return ArgoHttp.JSON.readTree(response.body());
  }

  /**
   * Whether the WorkflowTemplate exists in the adapter's namespace (asked by name: the adapter's
   * Role does not list templates).
   */
  public boolean templateExists(String name) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(url + "/api/v1/workflow-templates/" + namespace + "/" + name))
                .header("Authorization", "Bearer " + Files.readString(tokenFile).strip())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new IOException("GET workflow-template " + name + ": " + response.statusCode());
    }
    return response.statusCode() == 200;
  }

  private static RealArgo start() {
    Path script = findScript();
    try {
      // Under target/: the control plane's logs stay for a look after a failure, until mvn clean.
      Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
      Path state = Files.createTempDirectory(target, "real-argo-");
      ProcessBuilder builder =
          new ProcessBuilder("bash", script.toString(), "up", state.toString())
              .redirectErrorStream(true);
      builder.environment().put("ARGO_PORT", String.valueOf(freePort()));
      builder.environment().put("API_PORT", String.valueOf(freePort()));
      builder.environment().put("OWNER_PID", String.valueOf(ProcessHandle.current().pid()));
      Process process = builder.start();
      List<String> output = Collections.synchronizedList(new ArrayList<>());
      Map<String, String> printed = new HashMap<>();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.add(line);
          int equals = line.indexOf('=');
          if (line.startsWith("KUBECONFIG=") || line.startsWith("ARGO_")) {
            printed.put(line.substring(0, equals), line.substring(equals + 1));
          }
        }
      }
      // A cold build of the control plane takes tens of minutes; `up` prints what it does.
      if (!process.waitFor(90, TimeUnit.MINUTES)
          || process.exitValue() != 0
          || !printed.containsKey("ARGO_TOKEN_FILE")) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the real Argo control plane did not start:\n" + String.join("\n", output));
      }
      RealArgo argo = new RealArgo(state, printed);
      Runtime.getRuntime().addShutdownHook(new Thread(argo::stop, "stop-real-argo"));
      return argo;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the real Argo control plane", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the real Argo control plane", e);
    }
  }

  private void stop() {
    try {
      Process down =
          new ProcessBuilder("bash", findScript().toString(), "down", state.toString())
              .redirectErrorStream(true)
              .redirectOutput(state.resolve("down.log").toFile())
              .start();
      down.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the watchdog started by `up` stops it once this JVM is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path findScript() {
    Path directory = Path.of("").toAbsolutePath();
    while (directory != null) {
      Path script = directory.resolve("scripts/argo/real-argo-env.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
      directory = directory.getParent();
    }
    throw new IllegalStateException("scripts/argo/real-argo-env.sh not found above the work dir");
  }
}
