package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineHttpTest {
  @TempDir Path dir;

  @Test
  void queryNamesAndValuesAreEncodedInOrder() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("listOptions.labelSelector", "a=b,c in (d)");
    query.put("x&y", "1/2");
    assertThat(EngineHttp.uri(URI.create("http://argo:2746"), "/api/v1/workflows/ns", query))
        .hasToString(
            "http://argo:2746/api/v1/workflows/ns?listOptions.labelSelector=a%3Db%2Cc+in+%28d%29"
                + "&x%26y=1%2F2");
  }

  @Test
  void theClientSpeaksHttp11AndFollowsNoRedirects() {
    HttpClient client = EngineHttp.client(Duration.ofSeconds(2), null);
    assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    assertThat(client.connectTimeout()).contains(Duration.ofSeconds(2));
  }

  @Test
  void aPemWithoutCertificatesOrAnUnreadableStoreIsAConfigurationError() throws Exception {
    Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> EngineHttp.trustingPem(empty))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage()).startsWith("the CA file " + empty + " cannot be used");
            });
    assertThatThrownBy(() -> EngineHttp.trustingStore(empty, "PKCS12", "x"))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG));
  }
}
