package io.kaapana.workflow.service.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak on loopback with the realm of {@code scripts/keycloak} (users in two projects, an
 * admin, the adapters' and the service's clients), started by {@code keycloak-env.sh}, which
 * installs it on first use. Stops with {@link #close()}.
 */
public final class KeycloakServer implements AutoCloseable {
  static final Path SCRIPT =
      Path.of("..").toAbsolutePath().normalize().resolve("scripts/keycloak/keycloak-env.sh");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();
  public final String issuer;
  public final Path log;

  private final URI ready;

  private KeycloakServer(Process process, int port, int management, Path log) {
    this.process = process;
    this.issuer = "http://127.0.0.1:" + port + "/realms/kaapana";
    this.ready = URI.create("http://127.0.0.1:" + management + "/health/ready");
    this.log = log;
  }

  /** Starts it and waits until the realm answers (minutes when it is installed first). */
  public static KeycloakServer start() throws Exception {
    return start(SCRIPT, Path.of("target", "keycloak"));
  }

  /**
   * The same with the repository's {@code scripts/keycloak/keycloak-env.sh} at {@code script} and
   * its log in {@code logDirectory} (for callers that do not run in a module directory).
   */
  public static KeycloakServer start(Path script, Path logDirectory) throws Exception {
    return start(script, logDirectory, Map.of());
  }

  /** The same with more environment for the script, e.g. {@code KAAPANA_KEYCLOAK_REALM}. */
  public static KeycloakServer start(
      Path script, Path logDirectory, Map<String, String> environment) throws Exception {
    int port = freePort();
    int management = freePort();
    Path log = Files.createDirectories(logDirectory).resolve("keycloak.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                script.toString(), "start", Integer.toString(port), Integer.toString(management))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    KeycloakServer server = new KeycloakServer(process, port, management, log);
    try {
      server.awaitRealm(Duration.ofMinutes(10));
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Ready once Keycloak's own readiness check says so (it answers requests while it still
   * bootstraps and imports) and the realm's discovery document is served.
   */
  private void awaitRealm(Duration patience) throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Keycloak exited with " + process.exitValue() + "; see " + log);
      }
      if (status(ready) == 200 && status(discovery) == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Keycloak did not answer within " + patience + "; see " + log);
  }

  private int status(URI uri) throws InterruptedException {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }

  /** A user's access token (password grant of the command-line client). */
  public String userToken(String username, String password) throws Exception {
    return token(
        Map.of(
            "grant_type",
            "password",
            "client_id",
            "workflow-cli",
            "username",
            username,
            "password",
            password));
  }

  /** A confidential client's access token (client-credentials grant). */
  public String clientToken(String clientId, String secret) throws Exception {
    return token(
        Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
  }

  private String token(Map<String, String> form) throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError(
          "token request refused: " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body()).path("access_token").asText();
  }

  /** The claims of a token, read without checking it (the service checks; tests look). */
  public static JsonNode claims(String token) throws IOException {
    String payload = token.split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: kc.sh passes it on and the server stops cleanly
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
