package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service started as the README starts it ({@code java -Xmx160m -XX:+UseSerialGC -jar
 * …}), on a PostgreSQL server of its own given through {@code QUARKUS_DATASOURCE_*} (as a
 * deployment gives it) and a free loopback port; its output goes to {@code
 * target/<name>/service.log}.
 */
final class ServiceJar implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path JAR = ROOT.resolve("workflow-api-service/target/quarkus-app/quarkus-run.jar");

  final String url;
  final Path logs;
  private final Process process;
  private final EmbeddedPostgres database;

  private ServiceJar(String url, Path logs, Process process, EmbeddedPostgres database) {
    this.url = url;
    this.logs = logs;
    this.process = process;
    this.database = database;
  }

  static ServiceJar start(String name) throws Exception {
    return start(name, Map.of());
  }

  /**
   * With more environment variables, e.g. {@code KAAPANA_AUTH_ISSUER}; a {@code QUARKUS_HTTP_PORT}
   * among them is the port, else a free one is picked.
   */
  static ServiceJar start(String name, Map<String, String> environment) throws Exception {
    assertThat(JAR).as("the packaged service (mvn install builds it)").exists();
    Path logs = Files.createDirectories(Path.of("target", name));
    int port;
    if (environment.containsKey("QUARKUS_HTTP_PORT")) {
      port = Integer.parseInt(environment.get("QUARKUS_HTTP_PORT")); // chosen by the caller
    } else {
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx160m", "-XX:+UseSerialGC", "-jar", JAR.toString());
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    EmbeddedPostgres database = EmbeddedPostgres.builder().start();
    builder
        .environment()
        .put("QUARKUS_DATASOURCE_JDBC_URL", database.getJdbcUrl("postgres", "postgres"));
    builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
    builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true).redirectOutput(logs.resolve("service.log").toFile());
    ServiceJar service;
    try {
      service = new ServiceJar("http://127.0.0.1:" + port, logs, builder.start(), database);
    } catch (IOException e) {
      database.close();
      throw e;
    }
    try {
      service.awaitReady();
    } catch (Exception | AssertionError e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** A client of this service as a user of the test realm (password {@code <user>-password}). */
  io.kaapana.workflow.client.WorkflowApiClient clientAs(
      io.kaapana.workflow.service.security.KeycloakServer keycloak, String user) throws Exception {
    return io.kaapana.workflow.client.WorkflowApiClient.builder(URI.create(url))
        .accessTokens(
            io.kaapana.workflow.client.AccessTokens.fixed(
                keycloak.userToken(user, user + "-password")))
        .build();
  }

  /** Resident memory of the service's process (its JVM), in MiB. */
  double rssMiB() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS for the service's process");
  }

  private void awaitReady() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the service ended; see " + logs.resolve("service.log"));
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the service did not become ready within 120 s");
  }

  @Override
  public void close() throws InterruptedException, IOException {
    try {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } finally {
      database.close();
    }
  }
}
