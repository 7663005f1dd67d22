package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.io.IOException;
import java.io.Reader;
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
import java.util.TreeMap;
import java.util.UUID;

/**
 * The runtime's settings. Each key can come from a properties file, from an environment variable
 * ({@code adapter.api-url} is {@code KAAPANA_ADAPTER_API_URL}, {@code local.allow-commands} is
 * {@code KAAPANA_LOCAL_ALLOW_COMMANDS}) or from a {@code -D} system property; later sources win in
 * that order. Keys of the adapter itself start with its id ({@code local.}, {@code airflow.}) and
 * use dashes inside names, so environment names map back to them unambiguously.
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
          Map.entry("adapter.plugins", ""));

  /** The environment variable of a key. */
  public static String environmentName(String key) {
    return "KAAPANA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Reads the settings from a file (may be null), the environment and system properties. */
  public static RuntimeConfig load(Path file, Map<String, String> environment, Properties system)
      throws AdapterException {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new AdapterException(
            AdapterException.ErrorCode.INVALID_CONFIG,
            "cannot read " + file + ": " + e.getMessage(),
            e);
      }
      properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    }
    String kind =
        firstNonBlank(
            system.getProperty("adapter.kind"),
            environment.get(environmentName("adapter.kind")),
            values.get("adapter.kind"));
    for (String key : KEYS.keySet()) {
      putIfPresent(values, key, environment.get(environmentName(key)));
    }
    if (kind != null) {
      String prefix = environmentName(kind) + "_";
      environment.forEach(
          (name, value) -> {
            if (name.startsWith(prefix)) {
              String rest =
                  name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
              values.put(kind + "." + rest, value);
            }
          });
    }
    system
        .stringPropertyNames()
        .forEach(
            k -> {
              if (KEYS.containsKey(k) || kind != null && k.startsWith(kind + ".")) {
                values.put(k, system.getProperty(k));
              }
            });
    return of(values);
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
        new AdapterConfig(adapterKeys));
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

  private static void putIfPresent(Map<String, String> values, String key, String value) {
    if (value != null && !value.isBlank()) {
      values.put(key, value);
    }
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
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
        + ", adapterKeys="
        + adapterConfig
        + "]";
  }
}
