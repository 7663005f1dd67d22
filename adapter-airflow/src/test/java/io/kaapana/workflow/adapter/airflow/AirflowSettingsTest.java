package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AirflowSettingsTest {
  @TempDir Path dags;

  @Test
  void anEmptyConfigurationNamesEveryMissingKey() {
    assertThat(new AirflowAdapterFactory().validate(AdapterConfig.of()))
        .anySatisfy(p -> assertThat(p).contains("airflow.url is required"))
        .anySatisfy(p -> assertThat(p).contains("credentials are required"))
        .anySatisfy(p -> assertThat(p).contains("airflow.dags-folder is required"));
  }

  @Test
  void badValuesAreNamedWithWhatWasGiven() {
    assertThat(
            new AirflowAdapterFactory()
                .validate(
                    AdapterConfig.of(
                        "airflow.url", "ftp://airflow",
                        "airflow.dialect", "4",
                        "airflow.token", "t",
                        "airflow.dags-folder", dags.resolve("missing").toString(),
                        "airflow.parse-timeout", "soon",
                        "airflow.password-file", dags.resolve("nope").toString())))
        .containsExactlyInAnyOrder(
            "airflow.url must be an http or https URL, got 'ftp://airflow'",
            "airflow.dialect must be auto, 2 or 3, got '4'",
            "airflow.password-file must be a readable file, got '" + dags.resolve("nope") + "'",
            "airflow.dags-folder must be an existing directory, got '"
                + dags.resolve("missing")
                + "'",
            "airflow.parse-timeout must be a duration such as 30s, 500ms or PT1M, got 'soon'");
  }

  @Test
  void aPasswordGivenInlineAndAsAFileIsRefused() {
    assertThat(
            AirflowSettings.problems(
                AdapterConfig.of(
                    "airflow.url", "http://airflow:8080",
                    "airflow.username", "kaapana",
                    "airflow.password", "inline",
                    "airflow.password-file", dags.resolve("password").toString(),
                    "airflow.dags-folder", dags.toString())))
        .contains("give airflow.password or airflow.password-file, not both");
  }

  @Test
  void aPasswordFileIsReadAgainWhenRotatedAndSecretsNeverShow() throws Exception {
    Path file = Files.writeString(dags.resolve("password"), "s3cret\n");
    AirflowSettings settings =
        AirflowSettings.from(
            AdapterConfig.of(
                "airflow.url",
                "http://airflow:8080/flow/",
                "airflow.username",
                "kaapana",
                "airflow.password-file",
                file.toString(),
                "airflow.dags-folder",
                dags.toString()));
    assertThat(settings.password()).isEqualTo("s3cret");
    Files.writeString(file, "rotated\n");
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(settings.password()).isEqualTo("rotated");
    assertThat(settings.url()).hasToString("http://airflow:8080/flow");
    assertThat(settings.dialect()).isEqualTo(AirflowSettings.DialectChoice.AUTO);
    assertThat(settings.parseTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("rotated");
    assertThat(new AirflowAdapterFactory().sensitiveKeys())
        .contains("airflow.password", "airflow.token", "airflow.trust-store-password");
  }
}
