package io.kaapana.workflow.adapter.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.adapter.spi.AdapterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeConfigTest {
  @TempDir Path dir;

  @Test
  void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws Exception {
    Path file = dir.resolve("adapter.properties");
    Files.writeString(
        file,
        "adapter.kind=local\nadapter.api-url=http://file:8080\nadapter.claim-limit=3\n"
            + "local.parallelism=2\n");
    Properties system = new Properties();
    system.setProperty("adapter.claim-limit", "7");
    system.setProperty("unrelated.key", "x");
    RuntimeConfig config =
        RuntimeConfig.load(
            file,
            Map.of(
                "KAAPANA_ADAPTER_API_URL", "http://env:9090",
                "KAAPANA_ADAPTER_CLAIM_WAIT", "500ms",
                "KAAPANA_LOCAL_ALLOW_COMMANDS", "true",
                "KAAPANA_AIRFLOW_PASSWORD", "not for this adapter"),
            system);
    assertThat(config.apiUrl().toString()).isEqualTo("http://env:9090");
    assertThat(config.claimLimit()).isEqualTo(7);
    assertThat(config.claimWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.adapterConfig().asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("local.parallelism", "2", "local.allow-commands", "true"));
    assertThat(config.instanceId()).startsWith("local-");
    assertThat(config.toString()).doesNotContain("true").contains("local.allow-commands");
  }

  @Test
  void anEmptyValueUnsetsAKeyAndItsDefaultApplies() throws Exception {
    Path file = dir.resolve("adapter.properties");
    Files.writeString(file, "adapter.kind=local\nadapter.claim-limit=3\n");
    RuntimeConfig config =
        RuntimeConfig.load(file, Map.of("KAAPANA_ADAPTER_CLAIM_LIMIT", ""), new Properties());
    assertThat(config.claimLimit()).isEqualTo(10);
  }

  @Test
  void aFileThatCannotBeReadIsNamed() {
    Path missing = dir.resolve("nosuch.properties");
    assertThatThrownBy(() -> RuntimeConfig.load(missing, Map.of(), new Properties()))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(AdapterException.ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage()).contains("cannot read " + missing);
            });
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                RuntimeConfig.of(
                    Map.of(
                        "adapter.api-url", "ftp://x",
                        "adapter.lease-seconds", "1",
                        "adapter.claim-wait", "soon")))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("adapter.kind")
                    .contains("adapter.api-url must be an http(s) URL")
                    .contains("adapter.lease-seconds must be a whole number from 2 to 600")
                    .contains("adapter.claim-wait must be a duration"));
  }

  @Test
  void anIssuerAndAClientMakeTheRuntimeSignItsCallsWithoutShowingTheSecret() throws Exception {
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, "from-a-mounted-file\n");
    RuntimeConfig config =
        RuntimeConfig.load(
            null,
            Map.of(
                "KAAPANA_ADAPTER_KIND", "local",
                "KAAPANA_ADAPTER_AUTH_ISSUER", "http://127.0.0.1:1/realms/kaapana",
                "KAAPANA_ADAPTER_AUTH_CLIENT_ID", "workflow-adapter",
                "KAAPANA_ADAPTER_AUTH_CLIENT_SECRET_FILE", secret.toString()),
            new Properties());
    assertThat(config.accessTokens()).isNotNull();
    assertThat(config.toString())
        .contains("workflow-adapter", "realms/kaapana")
        .doesNotContain("from-a-mounted-file");
    assertThat(RuntimeConfig.of(Map.of("adapter.kind", "local")).accessTokens()).isNull();
  }

  @Test
  void anIncompleteClientIsNamedWithEveryMissingPart() {
    assertThatThrownBy(
            () ->
                RuntimeConfig.of(
                    Map.of(
                        "adapter.kind", "local",
                        "adapter.auth.issuer", "ftp://idp",
                        "adapter.auth.client-secret", "s",
                        "adapter.auth.client-secret-file", "/run/secret")))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("adapter.auth.issuer must be an http(s) URL")
                    .contains("adapter.auth.client-id is required")
                    .contains("adapter.auth.client-secret or adapter.auth.client-secret-file")
                    .doesNotContain("=s"));
    assertThatThrownBy(
            () ->
                RuntimeConfig.of(
                    Map.of("adapter.kind", "local", "adapter.auth.client-id", "workflow-adapter")))
        .hasMessageContaining("adapter.auth.issuer (KAAPANA_ADAPTER_AUTH_ISSUER) is required");
  }

  @Test
  void environmentNamesFollowOneRule() {
    assertThat(RuntimeConfig.environmentName("adapter.api-url"))
        .isEqualTo("KAAPANA_ADAPTER_API_URL");
    assertThat(RuntimeConfig.environmentName("local.allow-commands"))
        .isEqualTo("KAAPANA_LOCAL_ALLOW_COMMANDS");
  }

  @Test
  void anUnknownAdapterKindNamesWhatIsInstalled() {
    assertThatThrownBy(
            () ->
                AdapterRuntime.start(
                    RuntimeConfig.of(
                        Map.of("adapter.kind", "nosuch", "adapter.data-dir", dir.toString()))))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> assertThat(e.getMessage()).contains("no adapter 'nosuch' is installed"));
  }
}
