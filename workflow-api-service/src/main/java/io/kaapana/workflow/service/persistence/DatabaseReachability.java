package io.kaapana.workflow.service.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether the database answers right now, asked on a connection of its own (not the pool's, which
 * may be busy). For failures that carry no SQL state: the transaction manager reports some lost
 * connections without their cause (Narayana's {@code SystemException} when enlisting fails), and
 * such a failure during an outage is a retryable 503, not a 500.
 *
 * <p>Bounded: one check at a time, at most {@value #CHECK_TIMEOUT_SECONDS} s each, and its answer
 * is reused for {@value #REUSE_MILLIS} ms, so an outage costs the database no storm of connection
 * attempts.
 */
@ApplicationScoped
public class DatabaseReachability {
  static final int CHECK_TIMEOUT_SECONDS = 2;
  static final long REUSE_MILLIS = 1_000;

  private final Optional<String> url;
  private final Optional<String> username;
  private final Optional<String> password;
  private long checkedAt;
  private boolean reachable = true;

  public DatabaseReachability(
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.url = url;
    this.username = username;
    this.password = password;
  }

  /** Whether a new connection can be opened and answers now (or did within the last second). */
  public synchronized boolean reachable() {
    long now = System.currentTimeMillis();
    if (now - checkedAt >= REUSE_MILLIS) {
      reachable = check();
      checkedAt = System.currentTimeMillis();
    }
    return reachable;
  }

  private boolean check() {
    if (url.isEmpty()) {
      return false; // the service does not start without one (DatabaseSettingsCheck)
    }
    Properties properties = new Properties();
    username.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p));
    String timeout = String.valueOf(CHECK_TIMEOUT_SECONDS);
    properties.setProperty("connectTimeout", timeout);
    properties.setProperty("socketTimeout", timeout);
    properties.setProperty("loginTimeout", timeout);
    try (Connection connection = DriverManager.getConnection(url.get(), properties)) {
      return connection.isValid(CHECK_TIMEOUT_SECONDS);
    } catch (SQLException e) {
      return false;
    }
  }
}
