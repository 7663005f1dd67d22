package io.kaapana.workflow.adapter.airflow;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The adapter's configuration, read and checked once. Secrets never appear in {@link #toString}.
 */
record AirflowSettings(
    URI url,
    DialectChoice dialect,
    String username,
    String password,
    String token,
    Path dagsFolder,
    Duration parseTimeout,
    Duration pollInterval,
    Duration connectTimeout,
    Duration requestTimeout,
    Path trustStore,
    String trustStorePassword,
    String trustStoreType,
    Path exchangeLog) {

  static final String URL = "airflow.url";
  static final String DIALECT = "airflow.dialect";
  static final String USERNAME = "airflow.username";
  static final String PASSWORD = "airflow.password";
  static final String PASSWORD_FILE = "airflow.password-file";
  static final String TOKEN = "airflow.token";
  static final String TOKEN_FILE = "airflow.token-file";
  static final String DAGS_FOLDER = "airflow.dags-folder";
  static final String PARSE_TIMEOUT = "airflow.parse-timeout";
  static final String POLL_INTERVAL = "airflow.poll-interval";
  static final String CONNECT_TIMEOUT = "airflow.connect-timeout";
  static final String REQUEST_TIMEOUT = "airflow.request-timeout";
  static final String TRUST_STORE = "airflow.trust-store";
  static final String TRUST_STORE_PASSWORD = "airflow.trust-store-password";
  static final String TRUST_STORE_TYPE = "airflow.trust-store-type";
  static final String EXCHANGE_LOG = "airflow.exchange-log";

  static final Set<String> SENSITIVE = Set.of(PASSWORD, TOKEN, TRUST_STORE_PASSWORD);

  /** Which REST API the adapter speaks. */
  enum DialectChoice {
    /** Ask the server: {@code /api/v2/version} answers on Airflow 3, {@code /api/v1} on 2. */
    AUTO,
    AIRFLOW_2,
    AIRFLOW_3;

    static DialectChoice parse(String text) throws AdapterException {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "2", "airflow-2", "v1" -> AIRFLOW_2;
        case "3", "airflow-3", "v2" -> AIRFLOW_3;
        default ->
            throw new AdapterException(
                AdapterException.ErrorCode.INVALID_CONFIG,
                DIALECT + " must be auto, 2 or 3, got '" + text + "'");
      };
    }
  }

  /** Every problem of the configuration, one message each. */
  static List<String> problems(AdapterConfig config) {
    List<String> problems = new ArrayList<>();
    try {
      read(config, problems);
    } catch (RuntimeException e) {
      problems.add("the configuration cannot be read: " + e.getMessage());
    }
    return problems;
  }

  static AirflowSettings from(AdapterConfig config) throws AdapterException {
    List<String> problems = new ArrayList<>();
    AirflowSettings settings = read(config, problems);
    if (!problems.isEmpty()) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG, String.join("; ", problems));
    }
    return settings;
  }

  private static AirflowSettings read(AdapterConfig config, List<String> problems) {
    URI url = null;
    Optional<String> urlText = config.get(URL);
    if (urlText.isEmpty()) {
      problems.add(URL + " is required (the Airflow web server, e.g. http://airflow:8080)");
    } else {
      try {
        url = new URI(urlText.get().replaceAll("/+$", ""));
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
            || url.getHost() == null) {
          problems.add(URL + " must be an http or https URL, got '" + urlText.get() + "'");
        }
      } catch (URISyntaxException e) {
        problems.add(URL + " must be an http or https URL, got '" + urlText.get() + "'");
      }
    }
    DialectChoice dialect =
        collect(problems, () -> DialectChoice.parse(config.get(DIALECT, "auto")));
    String username = config.get(USERNAME).orElse(null);
    String password = secret(config, PASSWORD, PASSWORD_FILE, problems);
    String token = secret(config, TOKEN, TOKEN_FILE, problems);
    if (token == null && (username == null || password == null)) {
      problems.add(
          "credentials are required: "
              + USERNAME
              + " with "
              + PASSWORD
              + " (or "
              + PASSWORD_FILE
              + "), or "
              + TOKEN
              + " (or "
              + TOKEN_FILE
              + ")");
    }
    Path dagsFolder = null;
    Optional<String> folder = config.get(DAGS_FOLDER);
    if (folder.isEmpty()) {
      problems.add(DAGS_FOLDER + " is required (the DAGs folder Airflow reads, shared with it)");
    } else {
      try {
        dagsFolder = Path.of(folder.get());
        if (!Files.isDirectory(dagsFolder)) {
          problems.add(DAGS_FOLDER + " must be an existing directory, got '" + folder.get() + "'");
        }
      } catch (java.nio.file.InvalidPathException e) {
        problems.add(DAGS_FOLDER + " must be a directory path, got '" + folder.get() + "'");
      }
    }
    Duration parseTimeout =
        collect(problems, () -> config.getDuration(PARSE_TIMEOUT, Duration.ofMinutes(2)));
    Duration pollInterval =
        collect(problems, () -> config.getDuration(POLL_INTERVAL, Duration.ofSeconds(1)));
    Duration connectTimeout =
        collect(problems, () -> config.getDuration(CONNECT_TIMEOUT, Duration.ofSeconds(10)));
    Duration requestTimeout =
        collect(problems, () -> config.getDuration(REQUEST_TIMEOUT, Duration.ofSeconds(30)));
    Path trustStore = null;
    Optional<String> store = config.get(TRUST_STORE);
    if (store.isPresent()) {
      try {
        trustStore = Path.of(store.get());
        if (!Files.isReadable(trustStore)) {
          problems.add(TRUST_STORE + " must be a readable file, got '" + store.get() + "'");
        }
      } catch (java.nio.file.InvalidPathException e) {
        problems.add(TRUST_STORE + " must be a file path, got '" + store.get() + "'");
      }
    }
    return new AirflowSettings(
        url,
        dialect,
        username,
        password,
        token,
        dagsFolder,
        parseTimeout,
        pollInterval,
        connectTimeout,
        requestTimeout,
        trustStore,
        config.get(TRUST_STORE_PASSWORD).orElse(null),
        config.get(TRUST_STORE_TYPE, "PKCS12"),
        config.get(EXCHANGE_LOG).map(Path::of).orElse(null));
  }

  /** A secret given inline or as a file (e.g. a mounted Kubernetes secret); a file wins. */
  private static String secret(
      AdapterConfig config, String key, String fileKey, List<String> problems) {
    Optional<String> file = config.get(fileKey);
    if (file.isPresent()) {
      try {
        return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      } catch (IOException | java.nio.file.InvalidPathException e) {
        problems.add(fileKey + " must be a readable file, got '" + file.get() + "'");
        return null;
      }
    }
    return config.get(key).orElse(null);
  }

  private interface Reading<T> {
    T read() throws AdapterException;
  }

  private static <T> T collect(List<String> problems, Reading<T> reading) {
    try {
      return reading.read();
    } catch (AdapterException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  @Override
  public String toString() {
    return "AirflowSettings[url="
        + url
        + ", dialect="
        + dialect
        + ", username="
        + username
        + ", dagsFolder="
        + dagsFolder
        + "]";
  }
}
