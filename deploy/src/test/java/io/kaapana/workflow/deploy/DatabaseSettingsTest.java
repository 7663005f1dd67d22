package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production artifact runs on the database it is given, from any config source, and never on
 * one of its own; the quick start starts an embedded one only when nothing names a database.
 */
class DatabaseSettingsTest {
  @TempDir Path workDir;
  @TempDir Path home;

  @Test
  void theServiceWithoutADatabaseRefusesToStartAndNamesTheSettings() throws Exception {
    try (PackagedApp service = PackagedApp.start(PackagedApp.SERVICE, workDir, home, Map.of())) {
      assertThat(service.awaitExit()).isNotZero();
      assertThat(service.output())
          .contains("No database configured")
          .contains("QUARKUS_DATASOURCE_JDBC_URL")
          .contains("QUARKUS_DATASOURCE_USERNAME")
          .contains("QUARKUS_DATASOURCE_PASSWORD")
          .doesNotContain("embedded PostgreSQL on port");
    }
    assertThat(home.resolve(".kaapana-workflow-api")).doesNotExist();
  }

  @Test
  void theServiceTakesItsDatabaseFromConfigApplicationProperties() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      writeConfigFile(postgres);
      try (PackagedApp service = PackagedApp.start(PackagedApp.SERVICE, workDir, home, Map.of())) {
        service.awaitReady();
        assertThat(service.status("/v1/workflows")).isEqualTo(200);
      }
      assertThat(migrationsIn(postgres)).isPositive();
    }
    assertThat(home.resolve(".kaapana-workflow-api")).doesNotExist();
  }

  @Test
  void theQuickStartWithNothingConfiguredStartsItsEmbeddedDatabase() throws Exception {
    try (PackagedApp quickstart =
        PackagedApp.start(PackagedApp.QUICKSTART, workDir, home, Map.of())) {
      quickstart.awaitReady();
      assertThat(quickstart.status("/v1/workflows")).isEqualTo(200);
      assertThat(quickstart.output()).contains("the quick start started an embedded PostgreSQL");
    }
    assertThat(home.resolve(".kaapana-workflow-api/postgres/PG_VERSION")).exists();
  }

  @Test
  void theQuickStartUsesADatabaseNamedInConfigApplicationProperties() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      writeConfigFile(postgres);
      try (PackagedApp quickstart =
          PackagedApp.start(PackagedApp.QUICKSTART, workDir, home, Map.of())) {
        quickstart.awaitReady();
        assertThat(quickstart.output()).doesNotContain("embedded PostgreSQL");
      }
      assertThat(migrationsIn(postgres)).isPositive();
    }
    assertThat(home.resolve(".kaapana-workflow-api/postgres")).doesNotExist();
  }

  /**
   * As a mounted ConfigMap would give it: a standard Quarkus config file in the working directory.
   */
  private void writeConfigFile(EmbeddedPostgres postgres) throws Exception {
    Path config = Files.createDirectories(workDir.resolve("config"));
    Files.writeString(
        config.resolve("application.properties"),
        "quarkus.datasource.jdbc.url="
            + postgres.getJdbcUrl("postgres", "postgres")
            + "\nquarkus.datasource.username=postgres\nquarkus.datasource.password=postgres\n");
  }

  private static int migrationsIn(EmbeddedPostgres postgres) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
