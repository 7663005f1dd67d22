package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI document tells the truth about the running service: Schemathesis sends
 * generated requests to every operation (examples, coverage, fuzzing, and stateful sequences that
 * follow the document's links) and checks that no answer is a server error and that every status,
 * content type and body is the one the document declares. The packaged service runs as the
 * README starts it, on its embedded database.
 */
class OpenApiConformanceTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SERVICE =
      ROOT.resolve("workflow-api-service/target/quarkus-app/quarkus-run.jar");
  private static final Path DOCUMENT = ROOT.resolve("docs/openapi/openapi.json");
  private static final int EXAMPLES_PER_OPERATION = 100;
  private static final int SEED = 42;

  @Test
  void theServiceAnswersAsItsDocumentSays() throws Exception {
    Assumptions.assumeFalse(
        "skip".equals(System.getenv("KAAPANA_SCHEMATHESIS")),
        "the package registry was unreachable when .ci/run installed Schemathesis");
    assertThat(SERVICE).as("the packaged service (mvn install builds it)").exists();
    Path logs = Files.createDirectories(Path.of("target", "schemathesis"));
    Path data = Files.createTempDirectory("conformance-db");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder serviceBuilder =
        new ProcessBuilder(java, "-Xmx160m", "-XX:+UseSerialGC", "-jar", SERVICE.toString());
    serviceBuilder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    serviceBuilder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    serviceBuilder.environment().put("KAAPANA_WORKFLOW_DATA_DIR", data.toString());
    serviceBuilder.redirectErrorStream(true).redirectOutput(logs.resolve("service.log").toFile());
    Process service = serviceBuilder.start();
    try {
      String url = "http://127.0.0.1:" + port;
      awaitReady(url, service);
      Path report = logs.resolve("schemathesis.log");
      Process st =
          new ProcessBuilder(
                  List.of(
                      ROOT.resolve("scripts/schemathesis/schemathesis-env.sh").toString(),
                      "st",
                      "run",
                      DOCUMENT.toString(),
                      "--url",
                      url,
                      "--checks",
                      "not_a_server_error,status_code_conformance,content_type_conformance,"
                          + "response_schema_conformance",
                      "--phases",
                      "examples,coverage,fuzzing,stateful",
                      "--max-examples",
                      Integer.toString(EXAMPLES_PER_OPERATION),
                      "--seed",
                      Integer.toString(SEED),
                      "--workers",
                      "2",
                      "--request-timeout",
                      "70",
                      "--generation-database",
                      "none",
                      "--no-color",
                      "--report",
                      "junit",
                      "--report-dir",
                      logs.toString()))
              .redirectErrorStream(true)
              .redirectOutput(report.toFile())
              .start();
      assertThat(st.waitFor(20, TimeUnit.MINUTES)).as("Schemathesis finished").isTrue();
      String output = Files.readString(report);
      assertThat(st.exitValue())
          .as("Schemathesis found failures (see %s):%n%s", report, tail(output))
          .isZero();
      assertThat(output).contains("Selected: 30/30").doesNotContain("failures");
    } finally {
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  private static void awaitReady(String url, Process service) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new AssertionError("the service ended; see target/schemathesis/service.log");
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

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }
}
