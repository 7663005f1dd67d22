package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgoSettingsTest {
  @TempDir Path dir;

  @Test
  void missingAndBadValuesAreNamed() {
    assertThat(ArgoSettings.problems(AdapterConfig.of()))
        .anySatisfy(p -> assertThat(p).startsWith("argo.url is required"));
    // No token: argo-server in server auth mode uses its own service account.
    assertThat(ArgoSettings.problems(AdapterConfig.of("argo.url", "http://127.0.0.1:2746")))
        .isEmpty();
    Path token = dir.resolve("token");
    assertThat(
            ArgoSettings.problems(
                AdapterConfig.of(
                    "argo.url", "http://127.0.0.1:2746",
                    "argo.token", "abc",
                    "argo.token-file", token.toString())))
        .contains("give argo.token or argo.token-file, not both");
    assertThat(
            ArgoSettings.problems(
                AdapterConfig.of(
                    "argo.url", "ftp://argo",
                    "argo.namespace", "Not_A_Namespace",
                    "argo.token-file", dir.resolve("missing").toString(),
                    "argo.request-timeout", "later",
                    "argo.relist-after", "never")))
        .containsExactlyInAnyOrder(
            "argo.url must be an http or https URL, got 'ftp://argo'",
            "argo.namespace must be a Kubernetes namespace name, got 'Not_A_Namespace'",
            "argo.token-file must be a readable file, got '" + dir.resolve("missing") + "'",
            "argo.request-timeout must be a duration such as 30s, 500ms or PT1M, got 'later'",
            "argo.relist-after must be a duration such as 30s, 500ms or PT1M, got 'never'");
  }

  @Test
  void aRotatedTokenFileIsReadAgainAndNeverShown() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    ArgoSettings settings =
        ArgoSettings.from(
            AdapterConfig.of(
                "argo.url", "https://argo-server.argo:2746/", "argo.token-file", token.toString()));
    assertThat(settings.namespace()).isEqualTo("argo");
    assertThat(settings.url()).hasToString("https://argo-server.argo:2746");
    assertThat(settings.token()).isEqualTo("first");

    Files.writeString(token, "second\n");
    Files.setLastModifiedTime(token, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(settings.token()).isEqualTo("second");
    assertThat(settings.toString()).doesNotContain("first").doesNotContain("second");
  }
}
