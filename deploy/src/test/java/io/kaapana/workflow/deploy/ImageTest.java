package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.deploy.images.Images;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images as the build makes them ({@link Images}, which {@code -Pimages} runs): reproducible,
 * configured as the OCI image spec says, and the service image's filesystem started as its config
 * says against a real PostgreSQL, serving the API, with the local adapter's image registering with
 * it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageTest {
  @TempDir static Path temp;
  private Images images;
  private Images.Built service;

  @BeforeAll
  void build() throws Exception {
    images =
        new Images(PackagedApp.ROOT, temp.resolve("work-1"), "0.1.0-test", "test", "NOASSERTION");
    service = images.service(temp.resolve("first/workflow-api.oci.tar"));
  }

  @Test
  void theSameInputGivesTheSameDigest() throws Exception {
    Images again =
        new Images(PackagedApp.ROOT, temp.resolve("work-2"), "0.1.0-test", "test", "NOASSERTION");
    Images.Built second = again.service(temp.resolve("second/workflow-api.oci.tar"));
    System.out.printf(
        "service image: %s, built twice from separate work directories (jlink included): %s and %s%n",
        Files.size(service.archive()), service.digest(), second.digest());
    assertThat(second.digest()).isEqualTo(service.digest());
    assertThat(Files.mismatch(service.archive(), second.archive())).isEqualTo(-1L);
  }

  @Test
  void theServiceImageIsConfiguredAsTheSpecSays() throws Exception {
    OciImage image = OciImage.open(service.archive(), temp.resolve("config-check"));
    assertThat(image.manifestDigest).isEqualTo(service.digest());
    assertThat(image.manifest.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(image.config.path("os").asText()).isEqualTo("linux");
    assertThat(image.config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(image.entrypoint())
        .containsExactly("/opt/java/bin/java", "-jar", "/deployments/quarkus-run.jar");
    assertThat(image.settings().path("User").asText()).isEqualTo("65532:65532");
    assertThat(image.settings().path("WorkingDir").asText()).isEqualTo("/deployments");
    assertThat(image.settings().path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(image.env()).contains("QUARKUS_HTTP_HOST=0.0.0.0", "JAVA_HOME=/opt/java");
    assertThat(image.env()).noneMatch(e -> e.startsWith("QUARKUS_DATASOURCE"));
    assertThat(image.label("org.opencontainers.image.version")).isEqualTo("0.1.0-test");
    assertThat(image.label("org.opencontainers.image.revision")).matches("[0-9a-f]{40}|unknown");
    assertThat(image.label("org.opencontainers.image.source")).isEqualTo("test");
    assertThat(image.label("org.opencontainers.image.licenses")).isEqualTo("NOASSERTION");
    assertThat(image.label("org.opencontainers.image.title")).isEqualTo("Kaapana Workflow API");

    Path rootfs = image.unpack(temp.resolve("config-check-rootfs"));
    assertThat(rootfs.resolve("bin/sh")).doesNotExist();
    assertThat(rootfs.resolve("usr/bin")).doesNotExist();
    assertThat(rootfs.resolve("opt/java/bin/java")).isExecutable();
    assertThat(rootfs.resolve("opt/java/lib/security/cacerts")).isNotEmptyFile();
    assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("nonroot:x:65532:65532");
    PosixFileAttributeView tmp =
        Files.getFileAttributeView(rootfs.resolve("tmp"), PosixFileAttributeView.class);
    assertThat(tmp.readAttributes().owner().getName()).isIn("65532", "nonroot");
    System.out.printf(
        "service image: %d bytes compressed (archive %d), %d bytes unpacked%n",
        image.compressedBytes(), Files.size(service.archive()), size(rootfs));
  }

  @ParameterizedTest
  @ValueSource(strings = {"airflow", "argo", "local"})
  void eachAdapterImageRunsTheRuntimeWithItsAdapter(String kind) throws Exception {
    Images.Built built = images.adapter(kind, temp.resolve(kind + "/adapter.oci.tar"));
    OciImage image = OciImage.open(built.archive(), temp.resolve(kind + "/layout"));
    assertThat(image.entrypoint())
        .containsExactly("/opt/java/bin/java", "-jar", "/deployments/adapter-runtime.jar");
    assertThat(image.settings().path("User").asText()).isEqualTo("65532:65532");
    assertThat(image.env())
        .contains("KAAPANA_ADAPTER_KIND=" + kind, "KAAPANA_ADAPTER_PLUGINS=/deployments/plugins");
    assertThat(image.settings().path("ExposedPorts").has("8081/tcp")).isTrue();
    Path rootfs = image.unpack(temp.resolve(kind + "/rootfs"));
    try (var plugins = Files.list(rootfs.resolve("deployments/plugins"))) {
      assertThat(plugins.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("adapter-" + kind + "-") && n.endsWith(".jar"));
    }
    assertThat(image.manifest.path("layers").get(0).path("digest").asText())
        .as("every image shares the Java runtime layer")
        .isEqualTo(
            OciImage.open(service.archive(), temp.resolve(kind + "/service"))
                .manifest
                .path("layers")
                .get(0)
                .path("digest")
                .asText());
  }

  @Test
  void theServiceImageStartsAsItsConfigSaysServesTheApiAndTheLocalAdapterImageJoinsIt()
      throws Exception {
    Path rootfs =
        OciImage.open(service.archive(), temp.resolve("run/layout"))
            .unpack(temp.resolve("run/rootfs"));
    OciImage serviceImage = OciImage.open(service.archive(), temp.resolve("run/layout2"));
    Images.Built local = images.adapter("local", temp.resolve("run/local.oci.tar"));
    OciImage adapterImage = OciImage.open(local.archive(), temp.resolve("run/local-layout"));
    Path adapterRoot = adapterImage.unpack(temp.resolve("run/local-rootfs"));
    int port = freePort();
    String api = "http://127.0.0.1:" + port;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      long started = System.nanoTime();
      try (ChrootContainer container =
          ChrootContainer.start(
              serviceImage,
              rootfs,
              Map.of(
                  "QUARKUS_HTTP_HOST", "127.0.0.1",
                  "QUARKUS_HTTP_PORT", Integer.toString(port),
                  "QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"),
                  "QUARKUS_DATASOURCE_USERNAME", "postgres",
                  "QUARKUS_DATASOURCE_PASSWORD", "postgres"),
              temp.resolve("run/service.log"))) {
        awaitStatus(container, api + "/q/health/ready", 200);
        System.out.printf(
            "service image: ready %.1f s after its start%n", (System.nanoTime() - started) / 1e9);
        HttpClient http = HttpClient.newHttpClient();
        for (String probe : new String[] {"/q/health/started", "/q/health/live"}) {
          assertThat(
                  http.send(
                          HttpRequest.newBuilder(URI.create(api + probe)).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode())
              .as("the chart's probe %s", probe)
              .isEqualTo(200);
        }
        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/workflows"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"title\": \"image-test\", \"workflow_engine\": \"local\","
                                + " \"definition\": \"tasks: [{name: a, command: [echo, hi]}]\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        try (ChrootContainer adapter =
            ChrootContainer.start(
                adapterImage,
                adapterRoot,
                Map.of(
                    "KAAPANA_ADAPTER_API_URL", api,
                    "KAAPANA_ADAPTER_ID", "local-in-image",
                    "KAAPANA_ADAPTER_LISTEN_HOST", "127.0.0.1",
                    "KAAPANA_ADAPTER_LISTEN_PORT", Integer.toString(freePort()),
                    "KAAPANA_ADAPTER_DATA_DIR", "/tmp/adapter"),
                temp.resolve("run/adapter.log"))) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          String adapters = "";
          while (System.nanoTime() < deadline && !adapters.contains("\"local-in-image\"")) {
            assertThat(adapter.isAlive()).as(adapter.output()).isTrue();
            adapters =
                http.send(
                        HttpRequest.newBuilder(URI.create(api + "/v1/adapters")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            Thread.sleep(250);
          }
          assertThat(adapters)
              .as(adapter.output())
              .contains("\"local-in-image\"")
              .contains("ACTIVE");
        }
      }
    }
  }

  private static void awaitStatus(ChrootContainer container, String url, int status)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(container.isAlive()).as("the container ended:\n%s", container.output()).isTrue();
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == status) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError(url + " did not answer " + status + ":\n" + container.output());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long size(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
