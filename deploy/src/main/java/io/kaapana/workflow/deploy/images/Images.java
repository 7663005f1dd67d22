package io.kaapana.workflow.deploy.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the OCI image archives without a container daemon: the service and one sidecar per engine
 * adapter, each from scratch on a {@code jlink} runtime (see {@link JavaRuntime}), with the user
 * 65532, no shell and no package manager. Jib writes the layers with fixed timestamps and order, so
 * the same input gives the same digest.
 *
 * <p>{@code java … Images <repository root> <output directory> <version> <source> <licenses>}
 */
public final class Images {
  static final String USER = "65532:65532";
  static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");
  static final AbsoluteUnixPath APP = AbsoluteUnixPath.get("/deployments");
  static final List<String> ADAPTERS = List.of("airflow", "argo", "local");

  private final Path root;
  private final Path work;
  private final Map<String, String> labels;

  /** An image built: its archive and its digests. */
  public record Built(String name, Path archive, String digest, String imageId) {}

  public Images(Path root, Path work, String version, String source, String licenses)
      throws IOException, InterruptedException {
    this.root = root;
    this.work = work;
    this.labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.version", version);
    labels.put("org.opencontainers.image.revision", revision(root));
    labels.put("org.opencontainers.image.source", source);
    labels.put("org.opencontainers.image.licenses", licenses);
    labels.put("org.opencontainers.image.vendor", "Kaapana");
    labels.put(
        "org.opencontainers.image.base.name",
        "scratch (jlink runtime of JDK " + Runtime.version().feature() + ")");
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      throw new IllegalArgumentException(
          "usage: Images <repository root> <output directory> <version> <source> <licenses>");
    }
    Path output = Path.of(args[1]);
    Images images = new Images(Path.of(args[0]), output.resolve("work"), args[2], args[3], args[4]);
    for (Built built : images.all(output)) {
      System.out.printf(
          "%s: %s (%d bytes) digest %s%n",
          built.name(), built.archive(), Files.size(built.archive()), built.digest());
    }
  }

  /** Every image, into {@code output}/{@code <name>.oci.tar}. */
  public List<Built> all(Path output) throws Exception {
    List<Built> built = new ArrayList<>();
    built.add(service(output.resolve("workflow-api.oci.tar")));
    for (String kind : ADAPTERS) {
      built.add(adapter(kind, output.resolve("workflow-adapter-" + kind + ".oci.tar")));
    }
    return built;
  }

  /** The service: Quarkus' fast-jar layout, dependencies in a layer of their own. */
  public Built service(Path archive) throws Exception {
    Path app = root.resolve("workflow-api-service/target/quarkus-app");
    requireBuilt(app.resolve("quarkus-run.jar"));
    JibContainerBuilder image = base();
    image.addFileEntriesLayer(tree("dependencies", app.resolve("lib"), APP.resolve("lib")));
    FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
    addTree(application, app.resolve("quarkus"), APP.resolve("quarkus"));
    addTree(application, app.resolve("app"), APP.resolve("app"));
    application.addEntry(
        app.resolve("quarkus-run.jar"), APP.resolve("quarkus-run.jar"), FILE, EPOCH_PLUS_ONE);
    image.addFileEntriesLayer(application.build());
    image
        .setEntrypoint(runJar(APP.resolve("quarkus-run.jar")))
        .addEnvironmentVariable("QUARKUS_HTTP_HOST", "0.0.0.0")
        .addEnvironmentVariable("QUARKUS_HTTP_PORT", "8080")
        .setExposedPorts(Port.tcp(8080))
        .addLabel("org.opencontainers.image.title", "Kaapana Workflow API")
        .addLabel(
            "org.opencontainers.image.description",
            "The Kaapana Workflow API service; needs QUARKUS_DATASOURCE_JDBC_URL, _USERNAME, _PASSWORD");
    return write(image, "workflow-api", archive);
  }

  /** One adapter sidecar: the adapter runtime with that adapter's jars as its plugin. */
  public Built adapter(String kind, Path archive) throws Exception {
    Path runtime = root.resolve("adapter-runtime/target");
    Path jar = runtime.resolve(single(runtime, "adapter-runtime-", ".jar"));
    Path module = root.resolve("adapter-" + kind + "/target");
    Path plugin = module.resolve(single(module, "adapter-" + kind + "-", ".jar"));
    JibContainerBuilder image = base();
    image.addFileEntriesLayer(tree("dependencies", runtime.resolve("lib"), APP.resolve("lib")));
    FileEntriesLayer.Builder application = FileEntriesLayer.builder().setName("application");
    application.addEntry(jar, APP.resolve("adapter-runtime.jar"), FILE, EPOCH_PLUS_ONE);
    AbsoluteUnixPath plugins = APP.resolve("plugins");
    application.addEntry(
        plugin, plugins.resolve(plugin.getFileName().toString()), FILE, EPOCH_PLUS_ONE);
    if (Files.isDirectory(module.resolve("plugin-lib"))) {
      addTree(application, module.resolve("plugin-lib"), plugins.resolve("plugin-lib"));
    }
    image.addFileEntriesLayer(application.build());
    image
        .setEntrypoint(runJar(APP.resolve("adapter-runtime.jar")))
        .addEnvironmentVariable("KAAPANA_ADAPTER_KIND", kind)
        .addEnvironmentVariable("KAAPANA_ADAPTER_PLUGINS", plugins.toString())
        .addEnvironmentVariable("KAAPANA_ADAPTER_LISTEN_HOST", "0.0.0.0")
        .addEnvironmentVariable("KAAPANA_ADAPTER_LISTEN_PORT", "8081")
        .setExposedPorts(Port.tcp(8081))
        .addLabel("org.opencontainers.image.title", "Kaapana Workflow API adapter: " + kind)
        .addLabel(
            "org.opencontainers.image.description",
            "The adapter runtime with the "
                + kind
                + " adapter, a sidecar of the Kaapana Workflow API");
    return write(image, "workflow-adapter-" + kind, archive);
  }

  /** Every image starts here: the Java runtime, its libraries, users, and a writable /tmp. */
  private JibContainerBuilder base() throws IOException, InterruptedException {
    if (baseLayers == null) {
      baseLayers = baseLayers();
    }
    return Jib.fromScratch()
        .setFormat(ImageFormat.OCI)
        .setCreationTime(Instant.EPOCH)
        .addPlatform("amd64", "linux")
        .setFileEntriesLayers(baseLayers)
        .setUser(USER)
        .setWorkingDirectory(APP)
        .addEnvironmentVariable("JAVA_HOME", JAVA_HOME.toString())
        .addEnvironmentVariable("PATH", JAVA_HOME.resolve("bin") + ":/usr/bin:/bin")
        .addEnvironmentVariable("LANG", "C.UTF-8")
        .setLabels(labels);
  }

  /** The layers every image shares, made once per build: ldd runs over the whole runtime. */
  private List<FileEntriesLayer> baseLayers;

  private List<FileEntriesLayer> baseLayers() throws IOException, InterruptedException {
    Path runtime = javaRuntime();
    FileEntriesLayer.Builder java = FileEntriesLayer.builder().setName("java-runtime");
    addTree(java, runtime, JAVA_HOME);
    FileEntriesLayer.Builder system = FileEntriesLayer.builder().setName("system");
    for (JavaRuntime.SharedLibrary library : JavaRuntime.sharedLibraries(runtime)) {
      system.addEntry(
          library.file(), AbsoluteUnixPath.get(library.imagePath()), EXECUTABLE, EPOCH_PLUS_ONE);
    }
    Path etc = Files.createDirectories(work.resolve("etc"));
    system.addEntry(
        write(
            etc.resolve("passwd"),
            "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"),
        AbsoluteUnixPath.get("/etc/passwd"),
        FILE,
        EPOCH_PLUS_ONE);
    system.addEntry(
        write(etc.resolve("group"), "root:x:0:\nnonroot:x:65532:\n"),
        AbsoluteUnixPath.get("/etc/group"),
        FILE,
        EPOCH_PLUS_ONE);
    system.addEntry(
        write(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n"),
        AbsoluteUnixPath.get("/etc/nsswitch.conf"),
        FILE,
        EPOCH_PLUS_ONE);
    Path empty = Files.createDirectories(work.resolve("empty"));
    // The image's one user owns /tmp (Jib cannot write the sticky bit of a 1777 directory); a pod
    // with a read-only root mounts an emptyDir over it (the chart does).
    system.addEntry(
        empty,
        AbsoluteUnixPath.get("/tmp"),
        FilePermissions.fromOctalString("755"),
        EPOCH_PLUS_ONE,
        "65532:65532");
    system.addEntry(
        empty,
        AbsoluteUnixPath.get("/home/nonroot"),
        FilePermissions.fromOctalString("755"),
        EPOCH_PLUS_ONE,
        "65532:65532");
    return List.of(java.build(), system.build());
  }

  /** The jlink runtime, built once per build directory; the machine's CA certificates in it. */
  private Path javaRuntime() throws IOException, InterruptedException {
    Path runtime = work.resolve("java-runtime");
    if (!Files.exists(runtime.resolve("release"))) {
      Path partial = work.resolve("java-runtime.partial");
      deleteTree(partial);
      Files.createDirectories(work);
      JavaRuntime.link(partial);
      Path cacerts = Path.of("/etc/ssl/certs/java/cacerts");
      if (Files.exists(cacerts)) {
        Path target = partial.resolve("lib/security/cacerts");
        Files.deleteIfExists(target);
        Files.copy(cacerts.toRealPath(), target);
      }
      Files.move(partial, runtime);
    }
    return runtime;
  }

  private Built write(JibContainerBuilder image, String name, Path archive) throws Exception {
    Files.createDirectories(archive.getParent());
    Containerizer to =
        Containerizer.to(
                TarImage.at(archive)
                    .named(
                        "kaapana/" + name + ":" + labels.get("org.opencontainers.image.version")))
            .setBaseImageLayersCache(work.resolve("jib-cache/base"))
            .setApplicationLayersCache(work.resolve("jib-cache/application"))
            .setOfflineMode(true)
            .setToolName("kaapana-workflow-api-images");
    JibContainer container = image.containerize(to);
    return new Built(
        name, archive, container.getDigest().toString(), container.getImageId().toString());
  }

  /** The entrypoint of every image: the runtime's java running one jar. */
  private static List<String> runJar(AbsoluteUnixPath jar) {
    return List.of(JAVA_HOME.resolve("bin/java").toString(), "-jar", jar.toString());
  }

  private static final Instant EPOCH_PLUS_ONE = Instant.ofEpochSecond(1);
  private static final FilePermissions FILE = FilePermissions.fromOctalString("644");
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
  private static final FilePermissions DIRECTORY = FilePermissions.fromOctalString("755");

  private static FileEntriesLayer tree(String name, Path source, AbsoluteUnixPath target)
      throws IOException {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
    addTree(layer, source, target);
    return layer.build();
  }

  /** A directory tree, in a fixed order, readable by all; executable where the source is. */
  private static void addTree(FileEntriesLayer.Builder layer, Path source, AbsoluteUnixPath target)
      throws IOException {
    List<Path> paths;
    try (Stream<Path> files = Files.walk(source)) {
      paths = files.sorted().toList();
    }
    for (Path path : paths) {
      AbsoluteUnixPath at = target;
      for (Path part : source.relativize(path)) {
        if (!part.toString().isEmpty()) {
          at = at.resolve(part.toString());
        }
      }
      FilePermissions permissions;
      if (Files.isDirectory(path)) {
        permissions = DIRECTORY;
      } else {
        Set<PosixFilePermission> bits = Files.getPosixFilePermissions(path);
        permissions = bits.contains(PosixFilePermission.OWNER_EXECUTE) ? EXECUTABLE : FILE;
      }
      layer.addEntry(path, at, permissions, EPOCH_PLUS_ONE);
    }
  }

  private static Path write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static String single(Path dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith(prefix) && n.endsWith(suffix) && !n.endsWith("-tests.jar"))
              .sorted()
              .toList();
      if (names.size() != 1) {
        throw new IllegalStateException(
            "expected one "
                + prefix
                + "*"
                + suffix
                + " in "
                + dir
                + " (mvn install builds it), found "
                + names);
      }
      return names.get(0);
    }
  }

  private static void requireBuilt(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: mvn install builds it");
    }
  }

  private static String revision(Path root) throws IOException, InterruptedException {
    Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD").start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return git.waitFor() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
