package io.kaapana.workflow.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The benchmark's PostgreSQL: the same embedded server the service starts on its own defaults, here
 * started by the benchmark so that the service can be restarted against it (start-up times) and its
 * data kept between benchmark runs (the seed is reused).
 */
final class Database implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private Database(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static Database start(Path dataDirectory) throws IOException {
    return new Database(
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            // as a production server runs: the library turns both off for tests' speed
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start());
  }

  int port() {
    return postgres.getPort();
  }

  String user() {
    return "postgres";
  }

  String name() {
    return "postgres";
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + name();
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user(), "postgres");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
