package io.kaapana.workflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image archive read back as a container runtime reads it: {@code index.json}, the manifest,
 * the config, and the layers unpacked in order into a root filesystem.
 */
final class OciImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path layout;
  final JsonNode manifest;
  final JsonNode config;
  final String manifestDigest;

  private OciImage(Path layout, JsonNode manifest, JsonNode config, String manifestDigest) {
    this.layout = layout;
    this.manifest = manifest;
    this.config = config;
    this.manifestDigest = manifestDigest;
  }

  static OciImage open(Path archive, Path into) throws Exception {
    Files.createDirectories(into);
    Command.run(List.of("tar", "-xf", archive.toString(), "-C", into.toString()))
        .succeeded("unpacking " + archive);
    JsonNode index = JSON.readTree(into.resolve("index.json").toFile());
    String digest = index.path("manifests").get(0).path("digest").asText();
    JsonNode manifest = JSON.readTree(blob(into, digest).toFile());
    JsonNode config =
        JSON.readTree(blob(into, manifest.path("config").path("digest").asText()).toFile());
    return new OciImage(into, manifest, config, digest);
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
  }

  /** The container's settings ({@code config} of the image config). */
  JsonNode settings() {
    return config.path("config");
  }

  List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    settings().path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    return entrypoint;
  }

  List<String> env() {
    List<String> env = new ArrayList<>();
    settings().path("Env").forEach(e -> env.add(e.asText()));
    return env;
  }

  String label(String name) {
    return settings().path("Labels").path(name).asText(null);
  }

  long compressedBytes() {
    long total = manifest.path("config").path("size").asLong();
    for (JsonNode layer : manifest.path("layers")) {
      total += layer.path("size").asLong();
    }
    return total;
  }

  /** Every layer unpacked in order, owners and modes as recorded. */
  Path unpack(Path rootfs) throws IOException, InterruptedException {
    Files.createDirectories(rootfs);
    for (JsonNode layer : manifest.path("layers")) {
      Command.run(
              List.of(
                  "tar",
                  "-xzf",
                  blob(layout, layer.path("digest").asText()).toString(),
                  "-C",
                  rootfs.toString(),
                  "--same-owner",
                  "--numeric-owner",
                  "--warning=no-unknown-keyword"))
          .succeeded("unpacking a layer");
    }
    return rootfs;
  }
}
