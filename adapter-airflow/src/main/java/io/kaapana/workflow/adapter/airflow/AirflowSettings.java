package io.kaapana.workflow.adapter.airflow;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.EngineTls;
import io.kaapana.workflow.adapter.support.Secret;
import io.kaapana.workflow.adapter.support.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The adapter's configuration, read and checked once; a password or token file is read again when
 * it changes (a rotated secret). Secrets never appear in {@link #toString}.
 */
record AirflowSettings(
    URI url,
    DialectChoice dialect,
    String username,
    Secret passwordSecret,
    Secret tokenSecret,
    Path dagsFolder,
    Duration parseTimeout,
    Duration pollInterval,
    Duration connectTimeout,
    Duration requestTimeout,
    EngineTls tls,
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
  static final String EXCHANGE_LOG = "airflow.exchange-log";

  static final Set<String> SENSITIVE = Set.of(PASSWORD, TOKEN, EngineTls.passwordKey("airflow"));

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
    try {
      return read(config).problems();
    } catch (RuntimeException e) {
      return List.of("the configuration cannot be read: " + e.getMessage());
    }
  }

  static AirflowSettings from(AdapterConfig config) throws AdapterException {
    Reading reading = read(config);
    reading.settings().check();
    return reading.value();
  }

  private record Reading(Settings settings, AirflowSettings value) {
    List<String> problems() {
      return settings.problems();
    }
  }

  private static Reading read(AdapterConfig config) {
    Settings settings = new Settings(config);
    URI url = settings.httpUrl(URL, "the Airflow web server, e.g. http://airflow:8080");
    DialectChoice dialect =
        settings.read(() -> DialectChoice.parse(settings.get(DIALECT, "auto")), null);
    String username = settings.get(USERNAME).orElse(null);
    Secret password = settings.secret(PASSWORD, PASSWORD_FILE).orElse(null);
    Secret token = settings.secret(TOKEN, TOKEN_FILE).orElse(null);
    if (token == null && (username == null || password == null)) {
      settings.problem(
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
    Path dagsFolder =
        settings.directory(DAGS_FOLDER, "the DAGs folder Airflow reads, shared with it");
    Duration parseTimeout = settings.duration(PARSE_TIMEOUT, Duration.ofMinutes(2));
    Duration pollInterval = settings.duration(POLL_INTERVAL, Duration.ofSeconds(1));
    Duration connectTimeout = settings.duration(CONNECT_TIMEOUT, Duration.ofSeconds(10));
    Duration requestTimeout = settings.duration(REQUEST_TIMEOUT, Duration.ofSeconds(30));
    EngineTls tls = EngineTls.read(settings, "airflow");
    return new Reading(
        settings,
        new AirflowSettings(
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
            tls,
            settings.get(EXCHANGE_LOG).map(Path::of).orElse(null)));
  }

  /** The password (a file's current content), or null. */
  String password() throws AdapterException {
    return passwordSecret == null ? null : passwordSecret.value();
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
