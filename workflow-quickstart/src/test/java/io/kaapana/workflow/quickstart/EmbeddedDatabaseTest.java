package io.kaapana.workflow.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
  @TempDir Path dataDir;

  private static Connection connect(EmbeddedDatabase.Started db, String password)
      throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", EmbeddedDatabase.USER);
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(db.jdbcUrl(), props);
  }

  @Test
  void theEmbeddedServerFlushesCommitsAndKeepsItsDataAcrossRestarts() throws Exception {
    EmbeddedDatabase.Started first = EmbeddedDatabase.start(dataDir);
    try (EmbeddedPostgres postgres = first.postgres();
        Connection c = connect(first, first.password());
        Statement s = c.createStatement()) {
      assertThat(setting(s, "fsync")).isEqualTo("on");
      assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(s, "full_page_writes")).isEqualTo("on");
      s.execute("CREATE TABLE kept (n int)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    EmbeddedDatabase.Started second = EmbeddedDatabase.start(dataDir);
    try (EmbeddedPostgres postgres = second.postgres();
        Connection c = connect(second, second.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT n FROM kept")) {
      assertThat(second.password()).isEqualTo(first.password());
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void theServerAcceptsOnlyTheServiceWithItsSecret() throws Exception {
    EmbeddedDatabase.Started db = EmbeddedDatabase.start(dataDir);
    try (EmbeddedPostgres postgres = db.postgres()) {
      assertThatThrownBy(() -> connect(db, null).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> connect(db, "guess").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      try (Connection c = connect(db, db.password());
          Statement s = c.createStatement()) {
        assertThat(setting(s, "unix_socket_permissions")).isEqualTo("0700");
        assertThat(setting(s, "unix_socket_directories")).isEqualTo(dataDir.toString());
        assertThat(setting(s, "listen_addresses")).isEqualTo("localhost");
      }
      Path secret = dataDir.resolve(EmbeddedDatabase.SECRET_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
      assertThat(Files.readAllLines(dataDir.resolve("pg_hba.conf")))
          .filteredOn(l -> !l.isBlank() && !l.startsWith("#"))
          .isNotEmpty()
          .allMatch(l -> l.strip().endsWith("scram-sha-256"));
    }
  }

  @Test
  void aDataDirectoryFromBeforePasswordsIsSecuredOnItsNextStart() throws Exception {
    // how earlier versions created it: the library's defaults, trusting every local connection
    EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .start()
        .close();
    EmbeddedDatabase.Started db = EmbeddedDatabase.start(dataDir);
    try (EmbeddedPostgres postgres = db.postgres()) {
      assertThatThrownBy(() -> connect(db, null).close()).isInstanceOf(SQLException.class);
      connect(db, db.password()).close();
    }
    EmbeddedDatabase.Started again = EmbeddedDatabase.start(dataDir);
    try (EmbeddedPostgres postgres = again.postgres()) {
      assertThat(again.password()).isEqualTo(db.password());
      connect(again, again.password()).close();
    }
  }

  private static Process child(Path dataDir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            EmbeddedDatabaseChild.class.getName(),
            dataDir.toString())
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the child's output until it says it is ready; fails if it ends first. */
  private static int awaitReady(Process process) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      seen.append(line).append('\n');
      if (line.startsWith("ready ")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.transferTo(java.io.Writer.nullWriter());
                  } catch (java.io.IOException e) {
                    // the process ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(line.substring(6).trim());
      }
    }
    throw new AssertionError("the process ended before its database was ready:\n" + seen);
  }

  @Test
  void aStartAfterTheProcessWasKilledSucceedsAtOnce() throws Exception {
    Process first = child(dataDir);
    Process second = null;
    try {
      awaitReady(first);
      first.destroyForcibly(); // kill -9: no shutdown hook stops the server
      first.waitFor(30, TimeUnit.SECONDS);
      List<String> pidFile = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      long strayPid = Long.parseLong(pidFile.get(0).trim());
      assertThat(ProcessHandle.of(strayPid).map(ProcessHandle::isAlive)).contains(true);

      second = child(dataDir);
      awaitReady(second); // the first try
      assertThat(ProcessHandle.of(strayPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
      EmbeddedDatabase.stopStrayServer(dataDir);
    }
  }

  private static String setting(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
