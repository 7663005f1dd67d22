package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.tck.TestAdapterContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the one call at start tells apart: a wrong setting stops the start, a late server not. */
class ArgoAdapterFactoryTest {
  @TempDir Path directory;

  private ArgoServerStub argo;

  @BeforeEach
  void start() throws Exception {
    argo = ArgoServerStub.start(directory.resolve("argo"));
  }

  @AfterEach
  void stop() {
    argo.close();
  }

  @Test
  void aTokenArgoServerRefusesStopsTheStartAndTheMessageSaysWhatToCheck() {
    assertThatThrownBy(() -> create(argo.url(), "not-the-token"))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage()).contains("401").contains("check the token");
              assertThat(e.getMessage()).doesNotContain("not-the-token");
            });
  }

  @Test
  void aUrlWithoutArgoServersApiStopsTheStart() {
    assertThatThrownBy(() -> create(argo.url() + "/elsewhere", argo.token()))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
  }

  @Test
  void anArgoServerThatIsNotUpYetIsUnavailableAtStartSoTheRuntimeTriesAgain() {
    // As the Airflow adapter: UNAVAILABLE from create() (the SPI: retried with backoff), not an
    // adapter whose every call fails.
    assertThatThrownBy(() -> create("http://127.0.0.1:9", "t"))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage())
                  .startsWith("argo-server at http://127.0.0.1:9 cannot be reached");
            });
  }

  @Test
  void anHttpsArgoServerWithItsOwnCertificateIsTrustedThroughTheCaFile() throws Exception {
    // A self-signed certificate for 127.0.0.1, as argo-server makes for itself (--secure).
    Path keytool =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
    Path store = directory.resolve("server.p12");
    Path pem = directory.resolve("ca.pem");
    run(
        keytool.toString(),
        "-genkeypair",
        "-alias",
        "argo",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=argo-server",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit");
    run(
        keytool.toString(),
        "-exportcert",
        "-rfc",
        "-alias",
        "argo",
        "-keystore",
        store.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory keyManagers =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, "changeit".toCharArray());
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer server =
        com.sun.net.httpserver.HttpsServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    server.createContext(
        "/api/v1/version",
        exchange -> {
          byte[] body =
              "{\"version\":\"v3.7.18\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    try {
      try (WorkflowAdapter trusted =
          new ArgoAdapterFactory()
              .create(
                  AdapterConfig.of(
                      "argo.url", url, "argo.token", "t", "argo.ca-file", pem.toString()),
                  new TestAdapterContext("test", directory))) {
        assertThat(trusted).isNotNull();
      }
      // Without the CA file the JDK does not trust the certificate: the start is UNAVAILABLE
      // with the reason.
      assertThatThrownBy(() -> create(url, "t"))
          .isInstanceOfSatisfying(
              AdapterException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.getMessage()).contains("SSLHandshakeException");
              });
    } finally {
      server.stop(0);
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  private WorkflowAdapter create(String url, String token) throws AdapterException {
    return new ArgoAdapterFactory()
        .create(
            AdapterConfig.of("argo.url", url, "argo.namespace", "kaapana", "argo.token", token),
            new TestAdapterContext("test", directory));
  }
}
