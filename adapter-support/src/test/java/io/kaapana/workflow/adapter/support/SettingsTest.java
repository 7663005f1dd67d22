package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  @Test
  void everyProblemIsCollectedAndRefusedAtOnce() {
    Settings settings =
        new Settings(
            AdapterConfig.of(
                "e.url", "ftp://engine",
                "e.timeout", "soon",
                "e.token", "t",
                "e.token-file", dir.resolve("token").toString(),
                "e.ca-file", dir.resolve("missing.pem").toString()));

    assertThat(settings.httpUrl("e.url", "http://engine:8080")).isNull();
    assertThat(settings.duration("e.timeout", Duration.ofSeconds(3))).hasSeconds(3);
    assertThat(settings.secret("e.token", "e.token-file")).isEmpty();
    assertThat(settings.readableFile("e.ca-file")).isNull();
    assertThat(settings.directory("e.dir", "where files go")).isNull();

    assertThat(settings.problems())
        .containsExactly(
            "e.url must be an http or https URL, got 'ftp://engine'",
            "e.timeout must be a duration such as 30s, 500ms or PT1M, got 'soon'",
            "give e.token or e.token-file, not both",
            "e.ca-file must be a readable file, got '" + dir.resolve("missing.pem") + "'",
            "e.dir is required (where files go)");
    assertThatThrownBy(settings::check)
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG));
  }

  @Test
  void aUrlLosesItsTrailingSlashesAndASecretFileFollowsRotation() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    Settings settings =
        new Settings(
            AdapterConfig.of("e.url", "https://engine:2746//", "e.token-file", token.toString()));

    assertThat(settings.httpUrl("e.url", "x")).hasToString("https://engine:2746");
    Secret secret = settings.secret("e.token", "e.token-file").orElseThrow();
    assertThat(secret.value()).isEqualTo("first");
    Files.writeString(token, "second\n");
    Files.setLastModifiedTime(token, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    assertThat(secret.value()).isEqualTo("second");
    assertThat(secret.toString()).doesNotContain("first").doesNotContain("second");
    assertThat(settings.problems()).isEmpty();
  }

  @Test
  void aReaderThatFailsIsAProblemAndItsProblemsRefuseTheConfiguration() throws Exception {
    AdapterConfig config = AdapterConfig.of("x.url", "not a url");
    assertThat(
            Settings.problems(
                config,
                settings -> {
                  throw new IllegalStateException("boom");
                }))
        .containsExactly("the configuration cannot be read: boom");
    assertThat(Settings.problems(config, settings -> settings.httpUrl("x.url", "http://e")))
        .singleElement()
        .asString()
        .contains("x.url");
    assertThatThrownBy(
            () -> Settings.read(config, settings -> settings.httpUrl("x.url", "http://e")))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG));
    String url = Settings.read(AdapterConfig.of("x.url", "http://h:1"), r -> r.get("x.url", ""));
    assertThat(url).isEqualTo("http://h:1");
  }
}
