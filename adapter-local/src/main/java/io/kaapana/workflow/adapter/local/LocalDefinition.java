package io.kaapana.workflow.adapter.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local-engine definition: a DAG of commands.
 *
 * <pre>
 * tasks:
 *   - name: fetch
 *     command: [sh, -c, "echo fetching ${params.series}"]
 *     env: {MODE: fast}
 *     depends_on: []
 *     retries: 0
 *     timeout_seconds: 3600
 * </pre>
 *
 * <p>{@code ${params.<name>}} in {@code command} and {@code env} is replaced by the run's
 * parameter; every name used must be declared in the revision's parameters schema.
 */
record LocalDefinition(List<Task> tasks) {

  static final Pattern PARAMETER = Pattern.compile("\\$\\{params\\.([A-Za-z0-9_.-]*)}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  record Task(
      String name,
      List<String> command,
      Map<String, String> env,
      List<String> dependsOn,
      int retries,
      int timeoutSeconds) {}

  /** The tasks that depend on the given one, directly. */
  List<String> downstreamOf(String name) {
    return tasks.stream().filter(t -> t.dependsOn().contains(name)).map(Task::name).toList();
  }

  Task task(String name) {
    return tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** The given tasks and everything downstream of them. */
  Set<String> withDownstream(Set<String> names) {
    Set<String> result = new LinkedHashSet<>(names);
    List<String> queue = new ArrayList<>(names);
    while (!queue.isEmpty()) {
      for (String next : downstreamOf(queue.remove(0))) {
        if (result.add(next)) {
          queue.add(next);
        }
      }
    }
    return result;
  }

  /** Thrown with every problem found, each a precise sentence. */
  static final class InvalidDefinition extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    InvalidDefinition(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    List<String> problems() {
      return problems;
    }
  }

  /**
   * Parses and checks a definition: its shape against the published JSON Schema ({@code
   * docs/schemas/local-workflow.schema.json}), then what a schema cannot say (unique names, known
   * dependencies, no cycle, declared parameters). Every problem is reported at once.
   */
  static LocalDefinition parse(String definition, String parametersSchema)
      throws InvalidDefinition {
    JsonNode root;
    try {
      root = YAML.readTree(definition);
    } catch (JsonProcessingException e) {
      throw new InvalidDefinition(
          List.of("not YAML or JSON: " + e.getOriginalMessage() + location(e)));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidDefinition(List.of("the definition must be an object with a 'tasks' list"));
    }
    List<String> problems = new ArrayList<>();
    for (Error error : DefinitionSchema.SCHEMA.validate(root)) {
      problems.add(DefinitionSchema.describe(error, root));
    }
    JsonNode tasksNode = root.path("tasks");
    if (!tasksNode.isArray() || tasksNode.isEmpty()) {
      throw new InvalidDefinition(problems);
    }
    Set<String> declared = declaredParameters(parametersSchema, problems);

    List<Task> tasks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tasksNode.size(); i++) {
      JsonNode node = tasksNode.get(i);
      String name = DefinitionSchema.validName(node);
      if (name == null) {
        continue; // the schema named what is wrong with it
      }
      String where = DefinitionSchema.where(i, node);
      if (!names.add(name)) {
        problems.add(where + ": the name is used by another task");
      }
      List<String> command = new ArrayList<>();
      JsonNode commandNode = node.path("command");
      for (int a = 0; a < commandNode.size(); a++) {
        JsonNode arg = commandNode.get(a);
        if (arg.isValueNode() && !arg.isNull()) {
          command.add(arg.asText());
          checkReferences(arg.asText(), where + ": command[" + a + "]", declared, problems);
        }
      }
      if (!command.isEmpty() && command.get(0).isBlank()) {
        problems.add(where + ": command[0] (the program) is empty");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("env").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
          env.put(entry.getKey(), entry.getValue().asText());
          checkReferences(
              entry.getValue().asText(), where + ": env." + entry.getKey(), declared, problems);
        }
      }
      List<String> dependsOn = new ArrayList<>();
      node.path("depends_on").forEach(d -> dependsOn.add(d.asText()));
      int retries = node.path("retries").canConvertToInt() ? node.path("retries").asInt() : 0;
      int timeout =
          node.path("timeout_seconds").canConvertToInt() ? node.path("timeout_seconds").asInt() : 0;
      tasks.add(new Task(name, command, env, dependsOn, retries, timeout));
    }
    for (Task task : tasks) {
      for (String dependency : task.dependsOn()) {
        if (!names.contains(dependency)) {
          problems.add("task '" + task.name() + "' depends on unknown task '" + dependency + "'");
        } else if (dependency.equals(task.name())) {
          problems.add("task '" + task.name() + "' depends on itself");
        }
      }
    }
    if (problems.isEmpty()) {
      String cycle = findCycle(tasks);
      if (cycle != null) {
        problems.add("the tasks form a cycle (→ reads 'depends on'): " + cycle);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidDefinition(problems);
    }
    return new LocalDefinition(List.copyOf(tasks));
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static Set<String> declaredParameters(String schema, List<String> problems) {
    try {
      JsonNode node = JSON.readTree(schema);
      Set<String> names = new TreeSet<>();
      node.path("properties").fieldNames().forEachRemaining(names::add);
      return names;
    } catch (JsonProcessingException e) {
      problems.add("the parameters schema is not JSON: " + e.getOriginalMessage());
      return Set.of();
    }
  }

  private static void checkReferences(
      String text, String where, Set<String> declared, List<String> problems) {
    Matcher m = PARAMETER.matcher(text);
    while (m.find()) {
      if (!declared.contains(m.group(1))) {
        problems.add(
            where
                + " refers to unknown parameter '"
                + m.group(1)
                + "' (the parameters schema declares "
                + (declared.isEmpty() ? "none" : String.join(", ", declared))
                + ")");
      }
    }
  }

  /** A cycle as "a → b → a", or null. */
  private static String findCycle(List<Task> tasks) {
    Map<String, Task> byName = new HashMap<>();
    tasks.forEach(t -> byName.put(t.name(), t));
    Map<String, Integer> mark = new HashMap<>(); // 1 = on the path, 2 = done
    for (Task task : tasks) {
      List<String> path = new ArrayList<>();
      String cycle = visit(task.name(), byName, mark, path);
      if (cycle != null) {
        return cycle;
      }
    }
    return null;
  }

  private static String visit(
      String name, Map<String, Task> byName, Map<String, Integer> mark, List<String> path) {
    Integer state = mark.get(name);
    if (state != null && state == 2) {
      return null;
    }
    if (state != null) {
      List<String> loop = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      loop.add(name);
      return String.join(" → ", loop);
    }
    mark.put(name, 1);
    path.add(name);
    for (String dependency : byName.get(name).dependsOn()) {
      String cycle = visit(dependency, byName, mark, path);
      if (cycle != null) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    mark.put(name, 2);
    return null;
  }

  /** The revision's definition, or {@code REJECTED} with every problem. */
  static LocalDefinition of(RevisionSpec revision) throws AdapterException {
    try {
      return LocalDefinition.parse(revision.definition(), revision.parametersSchema());
    } catch (LocalDefinition.InvalidDefinition e) {
      throw new AdapterException(ErrorCode.REJECTED, "invalid definition: " + e.getMessage());
    }
  }

  /** Refuses a run whose parameters leave a used {@code ${params.x}} without a value. */
  void checkParameterValues(Map<String, Object> params) throws AdapterException {
    for (Task task : tasks) {
      List<String> texts = new ArrayList<>(task.command());
      texts.addAll(task.env().values());
      for (String text : texts) {
        Matcher m = PARAMETER.matcher(text);
        while (m.find()) {
          if (params.get(m.group(1)) == null) {
            throw new AdapterException(
                ErrorCode.REJECTED,
                "task '"
                    + task.name()
                    + "' uses parameter '"
                    + m.group(1)
                    + "', but the run has no value for it (give one, or a default in the schema)");
          }
        }
      }
    }
  }

  /**
   * Replaces {@code ${params.x}}: text as is, numbers and booleans as written, the rest as JSON.
   */
  static String substitute(String text, Map<String, Object> params) {
    Matcher m = PARAMETER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = params.get(m.group(1));
      String replacement;
      if (value instanceof String s) {
        replacement = s;
      } else if (value instanceof BigDecimal d) {
        replacement = d.toPlainString();
      } else if (value instanceof Number || value instanceof Boolean) {
        replacement = value.toString();
      } else {
        try {
          replacement = JSON.writeValueAsString(value);
        } catch (IOException e) {
          replacement = String.valueOf(value);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
