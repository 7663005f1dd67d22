package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.client.AccessTokens;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The runtime's settings. Each key can come from a properties file, from an environment variable
 * ({@code adapter.api-url} is {@code KAAPANA_ADAPTER_API_URL}, {@code local.allow-commands} is
 * {@code KAAPANA_LOCAL_ALLOW_COMMANDS}) or from a {@code -D} system property; later sources win in
 * that order ({@link #load}). Keys of the adapter itself start with its id ({@code local.}, {@code
 * airflow.}) and use dashes inside names, so environment names map back to them unambiguously.
 * Values are checked here, all at once, in the sentences the adapters' {@link AdapterConfig} uses.
 */
public record RuntimeConfig(
    URI apiUrl,
    String adapterKind,
    String instanceId,
    String labelSelector,
    int leaseSeconds,
    Duration claimWait,
    int claimLimit,
    int concurrency,
    Duration syncInterval,
    String listenHost,
    int listenPort,
    String endpointUrl,
    Path dataDirectory,
    Path pluginDirectory,
    AccessTokens accessTokens,
    ServiceTokenCheck serviceTokens,
    AdapterConfig adapterConfig) {

  /** Runtime keys, with their defaults (null: required or derived). */
  static final Map<String, String> KEYS =
      Map.ofEntries(
          Map.entry("adapter.api-url", "http://127.0.0.1:8080"),
          Map.entry("adapter.kind", ""),
          Map.entry("adapter.id", ""),
          Map.entry("adapter.label-selector", ""),
          Map.entry("adapter.lease-seconds", "30"),
          Map.entry("adapter.claim-wait", "20s"),
          Map.entry("adapter.claim-limit", "10"),
          Map.entry("adapter.concurrency", "4"),
          Map.entry("adapter.sync-interval", "2s"),
          Map.entry("adapter.listen-host", "127.0.0.1"),
          Map.entry("adapter.listen-port", "0"),
          Map.entry("adapter.endpoint-url", ""),
          Map.entry("adapter.data-dir", ""),
          Map.entry("adapter.plugins", ""),
          Map.entry("adapter.auth.issuer", ""),
          Map.entry("adapter.auth.client-id", ""),
          Map.entry("adapter.auth.client-secret", ""),
          Map.entry("adapter.auth.client-secret-file", ""),
          Map.entry("adapter.auth.audience", "workflow-api"),
          Map.entry("adapter.auth.service-role", "workflow-service"));

  private static final String ENVIRONMENT_PREFIX = "KAAPANA_";

  /** The environment variable of a key. */
  public static String environmentName(String key) {
    return ENVIRONMENT_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Reads the settings from a file (may be null), the environment and system properties. SmallRye
   * Config (the library Quarkus reads the service's settings with) resolves each key: system
   * properties (ordinal 400) win over {@code KAAPANA_} environment variables (300), which win over
   * the file (100); an environment variable matches a key by SmallRye's rule, so {@code
   * KAAPANA_AIRFLOW_DAGS_FOLDER} is {@code airflow.dags-folder}. Values are taken as written: no
   * {@code ${...}} expansion, since a password may contain those characters.
   */
  public static RuntimeConfig load(Path file, Map<String, String> environment, Properties system)
      throws AdapterException {
    Map<String, String> ours = new TreeMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENVIRONMENT_PREFIX)) {
            ours.put(name.substring(ENVIRONMENT_PREFIX.length()), value);
          }
        });
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .withSources(new EnvConfigSource(ours, EnvConfigSource.ORDINAL))
            .withSources(
                new PropertiesConfigSource(
                    system, "system properties", SysPropConfigSource.ORDINAL));
    if (file != null) {
      try {
        builder.withSources(new PropertiesConfigSource(file.toUri().toURL(), 100));
      } catch (IOException | UncheckedIOException e) {
        throw new AdapterException(
            AdapterException.ErrorCode.INVALID_CONFIG,
            "cannot read " + file + ": " + e.getMessage(),
            e);
      }
    }
    SmallRyeConfig config = builder.build();
    Map<String, String> values = new TreeMap<>();
    for (String key : KEYS.keySet()) {
      config.getOptionalValue(key, String.class).ifPresent(v -> values.put(key, v));
    }
    String kind = values.get("adapter.kind");
    if (kind != null && !kind.isBlank()) {
      for (String key : adapterKeys(kind.trim(), config, ours.keySet())) {
        config.getOptionalValue(key, String.class).ifPresent(v -> values.put(key, v));
      }
    }
    return of(values);
  }

  /**
   * The adapter's own keys that have a value somewhere. Environment names map back to keys by this
   * project's rule (adapter keys use dashes inside names); SmallRye cannot guess it, since {@code
   * LOCAL_ALLOW_COMMANDS} could also be {@code local.allow.commands}.
   */
  private static Set<String> adapterKeys(
      String kind, SmallRyeConfig config, Set<String> environmentNames) {
    Set<String> keys = new TreeSet<>();
    String prefix = kind + ".";
    for (ConfigSource source : config.getConfigSources()) {
      if (!(source instanceof EnvConfigSource)) {
        source.getPropertyNames().stream().filter(k -> k.startsWith(prefix)).forEach(keys::add);
      }
    }
    String environmentPrefix = environmentName(kind).substring(ENVIRONMENT_PREFIX.length()) + "_";
    for (String name : environmentNames) {
      if (name.startsWith(environmentPrefix)) {
        keys.add(
            prefix
                + name.substring(environmentPrefix.length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '-'));
      }
    }
    return keys;
  }

  /** Settings from flat keys; missing runtime keys take their defaults. */
  public static RuntimeConfig of(Map<String, String> values) throws AdapterException {
    Map<String, String> all = new TreeMap<>();
    KEYS.forEach(all::put);
    values.forEach((k, v) -> all.put(k, v == null ? "" : v.trim()));
    AdapterConfig config = new AdapterConfig(all);
    List<String> problems = new ArrayList<>();
    String kind = all.get("adapter.kind");
    if (kind.isEmpty()) {
      problems.add("adapter.kind (KAAPANA_ADAPTER_KIND) names the adapter to run, e.g. local");
    }
    URI api = null;
    try {
      api = URI.create(config.require("adapter.api-url"));
      if (api.getScheme() == null || !api.getScheme().startsWith("http") || api.getHost() == null) {
        problems.add("adapter.api-url must be an http(s) URL, got '" + api + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add("adapter.api-url is not a URL: " + e.getMessage());
    }
    int lease = intValue(config, "adapter.lease-seconds", 30, 2, 600, problems);
    Duration wait = durationValue(config, "adapter.claim-wait", Duration.ofSeconds(20), problems);
    if (wait.toSeconds() > 60) {
      problems.add("adapter.claim-wait is at most 60s");
    }
    int limit = intValue(config, "adapter.claim-limit", 10, 1, 100, problems);
    int concurrency = intValue(config, "adapter.concurrency", 4, 1, 256, problems);
    Duration sync = durationValue(config, "adapter.sync-interval", Duration.ofSeconds(2), problems);
    int port = intValue(config, "adapter.listen-port", 0, 0, 65535, problems);
    AccessTokens tokens = accessTokens(all, problems);
    if (!problems.isEmpty()) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG, String.join("; ", problems));
    }
    String id = all.get("adapter.id");
    if (id.isEmpty()) {
      id = kind + "-" + hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
    String dataDir = all.get("adapter.data-dir");
    Path data =
        dataDir.isEmpty()
            ? Path.of(System.getProperty("user.home"), ".kaapana-workflow-api", "adapters", kind)
            : Path.of(dataDir);
    String plugins = all.get("adapter.plugins");
    Map<String, String> adapterKeys = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (k.startsWith(kind + ".")) {
            adapterKeys.put(k, v);
          }
        });
    return new RuntimeConfig(
        api,
        kind,
        id,
        all.get("adapter.label-selector"),
        lease,
        wait,
        limit,
        concurrency,
        sync,
        all.get("adapter.listen-host"),
        port,
        all.get("adapter.endpoint-url").isEmpty() ? null : all.get("adapter.endpoint-url"),
        data,
        plugins.isEmpty() ? null : Path.of(plugins),
        tokens,
        tokens == null
            ? null
            : new ServiceTokenCheck(
                URI.create(all.get("adapter.auth.issuer")),
                all.get("adapter.auth.audience"),
                all.get("adapter.auth.service-role")),
        new AdapterConfig(adapterKeys));
  }

  /**
   * The client-credentials tokens the runtime signs its calls with, when an issuer is set; the
   * secret comes from the settings or from a file read at every fetch (a mounted, rotated secret).
   */
  private static AccessTokens accessTokens(Map<String, String> all, List<String> problems) {
    String issuer = all.get("adapter.auth.issuer");
    String clientId = all.get("adapter.auth.client-id");
    String secret = all.get("adapter.auth.client-secret");
    String secretFile = all.get("adapter.auth.client-secret-file");
    if (issuer.isEmpty()) {
      if (!clientId.isEmpty() || !secret.isEmpty() || !secretFile.isEmpty()) {
        problems.add(
            "adapter.auth.issuer (KAAPANA_ADAPTER_AUTH_ISSUER) is required with the client's id"
                + " and secret");
      }
      return null;
    }
    URI issuerUri = null;
    try {
      issuerUri = URI.create(issuer);
      if (issuerUri.getScheme() == null
          || !issuerUri.getScheme().startsWith("http")
          || issuerUri.getHost() == null) {
        problems.add("adapter.auth.issuer must be an http(s) URL, got '" + issuer + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add("adapter.auth.issuer is not a URL: " + e.getMessage());
    }
    if (clientId.isEmpty()) {
      problems.add("adapter.auth.client-id is required with adapter.auth.issuer");
    }
    if (secret.isEmpty() == secretFile.isEmpty()) {
      problems.add(
          "give adapter.auth.client-secret or adapter.auth.client-secret-file (one of them)");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    Supplier<String> read;
    if (secret.isEmpty()) {
      Path file = Path.of(secretFile);
      read = () -> readSecret(file);
    } else {
      read = () -> secret;
    }
    return AccessTokens.clientCredentials(issuerUri, clientId, read);
  }

  private static String readSecret(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int intValue(
      AdapterConfig config, String key, int fallback, int min, int max, List<String> problems) {
    try {
      return config.getInt(key, fallback, min, max);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  private static Duration durationValue(
      AdapterConfig config, String key, Duration fallback, List<String> problems) {
    try {
      return config.getDuration(key, fallback);
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return fallback;
    }
  }

  private static String hostName() {
    try {
      String name = java.net.InetAddress.getLocalHost().getHostName();
      return name.replaceAll("[^A-Za-z0-9.-]", "-");
    } catch (IOException e) {
      return "host";
    }
  }

  /** Prints keys, never values of the adapter (they may be secrets). */
  @Override
  public String toString() {
    return "RuntimeConfig[api="
        + apiUrl
        + ", adapter="
        + adapterKind
        + ", id="
        + instanceId
        + ", selector="
        + labelSelector
        + (accessTokens == null ? "" : ", auth=" + accessTokens)
        + ", adapterKeys="
        + adapterConfig
        + "]";
  }
}
