package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTlsTest {
  @TempDir Path dir;

  @Test
  void aCaFileAndATrustStoreTogetherAreRefused() throws Exception {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "x");
    Path store = Files.writeString(dir.resolve("trust.p12"), "x");
    Settings settings =
        new Settings(
            AdapterConfig.of("e.ca-file", pem.toString(), "e.trust-store", store.toString()));
    EngineTls.read(settings, "e");
    assertThat(settings.problems()).containsExactly("give e.ca-file or e.trust-store, not both");
  }

  @Test
  void neitherMeansTheJdksTrustAndAStoreTypeDefaultsToPkcs12() throws Exception {
    Settings settings = new Settings(AdapterConfig.of());
    EngineTls tls = EngineTls.read(settings, "e");
    assertThat(settings.problems()).isEmpty();
    assertThat(tls.context()).isNull();
    assertThat(tls.trustStoreType()).isEqualTo("PKCS12");
    assertThat(EngineTls.passwordKey("e")).isEqualTo("e.trust-store-password");
  }

  @Test
  void aFirstCallThatIsRefusedIsAConfigurationErrorAndAnUnreachableEngineStaysUnavailable() {
    assertThatThrownBy(
            () ->
                EngineFailures.atStart(
                    () -> {
                      throw EngineFailures.answered("GET /version", 403, "no", "check the token");
                    }))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage())
                  .isEqualTo("GET /version answered 403: no (check the token)");
            });
    assertThatThrownBy(
            () ->
                EngineFailures.atStart(
                    () -> {
                      throw new AdapterException(ErrorCode.UNAVAILABLE, "not up yet");
                    }))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }
}
