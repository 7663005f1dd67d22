package io.kaapana.workflow.deploy.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The images' Java: a {@code jlink} runtime of the JDK that builds it (no base image can be pulled
 * here), and the shared libraries its binaries need, as {@code ldd} names them.
 */
final class JavaRuntime {
  /**
   * What the service, the adapter runtime and the adapters use of the JDK. Quarkus, Netty, Vert.x,
   * Agroal, Narayana, PgJDBC, Micrometer, quarkus-oidc and the adapter runtime's HTTP server; a
   * missing module shows as a failed start in {@code ImageTest}.
   */
  static final List<String> MODULES =
      List.of(
          "java.base",
          "java.instrument",
          "java.logging",
          "java.management",
          "java.naming",
          "java.net.http",
          "java.rmi",
          "java.security.jgss",
          "java.security.sasl",
          "java.sql",
          "java.transaction.xa",
          "java.xml",
          "jdk.crypto.ec",
          "jdk.httpserver",
          "jdk.management",
          "jdk.naming.dns",
          "jdk.unsupported",
          "jdk.zipfs");

  /** Name-service modules glibc loads by name (not named by ldd), for /etc/hosts and DNS. */
  static final List<String> NSS_LIBRARIES = List.of("libnss_files.so.2", "libnss_dns.so.2");

  private JavaRuntime() {}

  /**
   * Builds the runtime into {@code output} (which must not exist). jlink runs as a process of its
   * own: run twice in one JVM through its {@code ToolProvider}, it wrote different {@code
   * lib/modules} files, while separate processes give identical ones.
   */
  static void link(Path output) throws IOException, InterruptedException {
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    if (!Files.isExecutable(jlink)) {
      throw new IllegalStateException(jlink + " is missing: build the images with a JDK");
    }
    Process process =
        new ProcessBuilder(
                jlink.toString(),
                "--add-modules",
                String.join(",", MODULES),
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--compress=2",
                "--output",
                output.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(
          "jlink failed ("
              + exit
              + "): "
              + out
              + " (Debian and Ubuntu ship the JDK's jmods in the package openjdk-17-jmods)");
    }
  }

  /**
   * The shared libraries the runtime's ELF files load, with the dynamic loader: real files (links
   * resolved), each to be placed at the path the loader looks for it.
   */
  static List<SharedLibrary> sharedLibraries(Path runtime)
      throws IOException, InterruptedException {
    Set<String> needed = new TreeSet<>();
    List<Path> elves;
    try (Stream<Path> files = Files.walk(runtime)) {
      elves = files.filter(Files::isRegularFile).filter(JavaRuntime::isElf).sorted().toList();
    }
    for (Path elf : elves) {
      for (String line : ldd(elf)) {
        String path = null;
        int arrow = line.indexOf("=> ");
        if (arrow >= 0) {
          path = line.substring(arrow + 3).trim();
        } else if (line.trim().startsWith("/")) {
          path = line.trim();
        }
        if (path == null) {
          continue;
        }
        int paren = path.indexOf(" (");
        if (paren >= 0) {
          path = path.substring(0, paren);
        }
        if (path.startsWith("/") && !path.startsWith(runtime.toString())) {
          needed.add(path);
        }
      }
    }
    List<SharedLibrary> libraries = new ArrayList<>();
    for (String path : needed) {
      libraries.add(new SharedLibrary(Path.of(path).toRealPath(), path));
    }
    Path libc =
        Path.of(needed.stream().filter(p -> p.endsWith("/libc.so.6")).findFirst().orElseThrow());
    for (String nss : NSS_LIBRARIES) {
      Path file = libc.getParent().resolve(nss);
      if (Files.exists(file)) {
        libraries.add(new SharedLibrary(file.toRealPath(), file.toString()));
      }
    }
    return libraries;
  }

  /** A library's content and where the image holds it. */
  record SharedLibrary(Path file, String imagePath) {}

  private static boolean isElf(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 0x7f
          && magic[1] == 'E'
          && magic[2] == 'L'
          && magic[3] == 'F';
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> ldd(Path elf) throws IOException, InterruptedException {
    Process ldd = new ProcessBuilder("ldd", elf.toString()).redirectErrorStream(true).start();
    String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ldd.waitFor();
    return out.lines().toList();
  }
}
