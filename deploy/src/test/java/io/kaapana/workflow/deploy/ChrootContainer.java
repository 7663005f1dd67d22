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
    // The mounts happen inside the new mount namespace: the host sees none of them.
    List<String> command =
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--fork",
            "sh",
            "-c",
            "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\""
                + " && mount --rbind /dev \"$0/dev\""
                + " && mount -t tmpfs -o size=64m,mode=0700,uid="
                + user[0]
                + ",gid="
                + user[1]
                + " tmpfs \"$0/tmp\" && exec \"$@\"",
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

  /**
   * SIGTERM to the container's processes, as a runtime stops a container, then SIGKILL after 30 s.
   * Sent to them directly: the user change inside clears the parent-death signal that {@code
   * --kill-child} would send.
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      for (ProcessHandle p : tree) {
        while (p.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
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
