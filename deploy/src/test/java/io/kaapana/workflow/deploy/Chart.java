package io.kaapana.workflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart as helm sees it: lint and template through {@code scripts/tools/go-tools.sh helm}
 * (built once into a cache), manifests read back as JSON trees.
 */
final class Chart {
  static final Path DIR = PackagedApp.ROOT.resolve("deploy/helm/kaapana-workflow-api");
  static final Path TOOLS = PackagedApp.ROOT.resolve("scripts/tools");

  /** The Kubernetes version Kaapana's current releases install (MicroK8s 1.33). */
  static final String KUBERNETES = "1.33.0";

  static final String RELEASE = "workflow-api";
  static final String NAMESPACE = "kaapana-workflow";

  private Chart() {}

  static Path valueSet(String name) {
    return DIR.resolve("ci").resolve(name + "-values.yaml");
  }

  static Command helm(String... arguments) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(TOOLS.resolve("go-tools.sh").toString(), "helm"));
    command.addAll(List.of(arguments));
    return Command.run(command);
  }

  /** {@code helm template} with these values files; the failed command if it fails. */
  static Command template(Path... values) throws IOException, InterruptedException {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "template",
                RELEASE,
                DIR.toString(),
                "--namespace",
                NAMESPACE,
                "--kube-version",
                KUBERNETES));
    for (Path v : values) {
      arguments.add("--values");
      arguments.add(v.toString());
    }
    return helm(arguments.toArray(String[]::new));
  }

  /** The rendered manifests, one tree each. */
  static List<JsonNode> manifests(String yaml) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull() && !node.isEmpty()) {
          documents.add(node);
        }
      }
    }
    return documents;
  }

  static JsonNode find(List<JsonNode> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.path("kind").asText().equals(kind))
        .filter(m -> m.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }

  /** The value of an environment variable of a container, or null. */
  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.has("value") ? e.path("value").asText() : e.path("valueFrom").toString();
      }
    }
    return null;
  }
}
