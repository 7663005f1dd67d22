package io.kaapana.workflow.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An image's root filesystem started as its config says — entrypoint, environment, user and working
 * directory — without a container runtime (none can run here): util-linux {@code unshare} gives it
 * private mount and PID namespaces, binds the host's {@code /dev}, mounts a fresh {@code /proc},
 * changes root into the filesystem and drops to the image's user. It shares the host's network, so
 * it listens on loopback and reaches a PostgreSQL there. Needs root.
 */
final class ChrootContainer implements AutoCloseable {
  private final Process process;
  final Path log;

  private ChrootContainer(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChrootContainer start(OciImage image, Path rootfs, Map<String, String> overrides, Path log)
      throws IOException {
    if (!"0".equals(uid())) {
      throw new AssertionError(
          "starting an image's filesystem needs root (mount namespaces, chroot, a user change);"
              + " run the tests as root, as CI does");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : image.env()) {
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    env.putAll(overrides);
    String[] user = image.settings().path("User").asText().split(":");
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));

    List<String> inner = new ArrayList<>(List.of("env", "-i"));
    env.forEach((k, v) -> inner.add(k + "=" + v));
    inner.addAll(
        List.of(
            "unshare",
            "--root=" + rootfs,
            "--wd=" + image.settings().path("WorkingDir").asText("/"),
            "--mount-proc",
            "--setgid=" + user[1],
            "--setuid=" + user[0]));
    inner.addAll(image.entrypoint());
    // The bind mount happens inside the new mount namespace: the host sees none of it. When this
    // process ends, the container's first process gets SIGTERM (--kill-child), as from a runtime.
    List<String> command =
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--fork",
            "--kill-child=SIGTERM",
            "sh",
            "-c",
            "mount --rbind /dev \"$0/dev\" && exec \"$@\"",
            rootfs.toString());
    List<String> all = new ArrayList<>(command);
    all.addAll(inner);
    Process process =
        new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChrootContainer(process, log);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String uid() throws IOException {
    try {
      Process id = new ProcessBuilder("id", "-u").start();
      String out = new String(id.getInputStream().readAllBytes()).trim();
      id.waitFor();
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
