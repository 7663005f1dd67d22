package io.kaapana.workflow.adapter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The local engine's definition format as a JSON Schema: the file published for editors ({@code
 * docs/schemas/local-workflow.schema.json}, packaged beside this class), and how its errors read:
 * where (task number and name), then the schema's own message ({@code message} keyword).
 */
final class DefinitionSchema {
  static final String RESOURCE = "local-workflow.schema.json";
  static final Schema SCHEMA = load();

  private static final Pattern TASK_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern UNDER_TASK = Pattern.compile("/tasks/(\\d+)(/.*)?");

  private DefinitionSchema() {}

  private static Schema load() {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder ->
                builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder()
                        .pathType(PathType.JSON_POINTER)
                        .errorMessageKeyword("message")
                        .build()));
    try (InputStream in = DefinitionSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the adapter's jar");
      }
      return registry.getSchema(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The task's name when it is one the schema accepts, else null. */
  static String validName(JsonNode task) {
    JsonNode name = task.path("name");
    return name.isTextual() && TASK_NAME.matcher(name.asText()).matches() ? name.asText() : null;
  }

  /** {@code tasks[2] (fetch)}, or {@code tasks[2]} while the task has no usable name. */
  static String where(int index, JsonNode task) {
    String name = validName(task);
    return "tasks[" + index + "]" + (name == null ? "" : " (" + name + ")");
  }

  /** One sentence per schema error, saying where in the definition it is. */
  static String describe(Error error, JsonNode root) {
    String location = error.getInstanceLocation().toString();
    var underTask = UNDER_TASK.matcher(location);
    if (!underTask.matches()) {
      return error.getMessage();
    }
    int index = Integer.parseInt(underTask.group(1));
    String where = where(index, root.path("tasks").path(index));
    String[] rest =
        underTask.group(2) == null ? new String[0] : underTask.group(2).substring(1).split("/");
    if ("propertyNames".equals(error.getKeyword())) {
      return where + ": env name '" + error.getProperty() + "' is not a valid variable name";
    }
    if (rest.length == 2 && rest[0].equals("env")) {
      return where + ": env." + unescape(rest[1]) + " " + error.getMessage();
    }
    if (rest.length == 2) {
      return where + ": " + rest[0] + "[" + rest[1] + "] " + error.getMessage();
    }
    return where + ": " + error.getMessage();
  }

  private static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }
}
