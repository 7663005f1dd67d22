package io.kaapana.workflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the service module's native-sources step (every build runs it) hands to native-image: the
 * runner jar, its arguments, and a reflection configuration that lists every class Jackson maps
 * outside REST — the records of the {@code jsonb} columns — and the domain types the API carries.
 */
class NativeSourcesTest {
  private static final Path SERVICE = PackagedApp.ROOT.resolve("workflow-api-service/target");

  @Test
  void theNativeSourcesListEveryClassJacksonMapsFromTheDatabase() throws Exception {
    Path sources = SERVICE.resolve("native-sources");
    assertThat(sources.resolve("native-image.args")).isNotEmptyFile();
    Path runner;
    try (Stream<Path> files = Files.list(sources)) {
      runner = files.filter(p -> p.toString().endsWith("-runner.jar")).findFirst().orElseThrow();
    }
    Set<String> reflective = new HashSet<>();
    try (ZipFile jar = new ZipFile(runner.toFile())) {
      JsonNode config =
          new ObjectMapper()
              .readTree(
                  jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
      config.forEach(entry -> reflective.add(entry.path("name").asText()));
    }
    assertThat(storedRecords()).isNotEmpty();
    assertThat(reflective).containsAll(storedRecords());
    assertThat(reflective)
        .contains(
            "io.kaapana.workflow.core.domain.RunState",
            "io.kaapana.workflow.core.domain.RequestedAction",
            "io.kaapana.workflow.core.domain.TaskDefinition");
  }

  /** The records nested in StoredJson: the shapes of the jsonb columns. */
  private static List<String> storedRecords() throws Exception {
    Path classes = SERVICE.resolve("classes");
    List<String> records = new ArrayList<>();
    try (URLClassLoader loader =
            new URLClassLoader(
                new URL[] {classes.toUri().toURL()}, NativeSourcesTest.class.getClassLoader());
        Stream<Path> files =
            Files.list(classes.resolve("io/kaapana/workflow/service/persistence"))) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith("StoredJson$") && name.endsWith(".class")) {
          String className =
              "io.kaapana.workflow.service.persistence." + name.substring(0, name.length() - 6);
          if (Class.forName(className, false, loader).isRecord()) {
            records.add(className);
          }
        }
      }
    }
    return records;
  }
}
