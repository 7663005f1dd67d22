package io.kaapana.workflow.adapter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalDefinitionTest {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"series\":{\"type\":\"string\"}}}";

  private static List<String> problems(String definition) {
    return catchThrowableOfType(
            LocalDefinition.InvalidDefinition.class,
            () -> LocalDefinition.parse(definition, SCHEMA))
        .problems();
  }

  @Test
  void parsesYamlAndJsonAlike() throws Exception {
    LocalDefinition yaml =
        LocalDefinition.parse(
            "tasks: [{name: a, command: [echo, '${params.series}'], retries: 2, timeout_seconds: 9},"
                + " {name: b, command: [true], depends_on: [a], env: {X: '${params.series}'}}]",
            SCHEMA);
    LocalDefinition json =
        LocalDefinition.parse(
            "{\"tasks\": [{\"name\": \"a\", \"command\": [\"echo\", \"${params.series}\"],"
                + " \"retries\": 2, \"timeout_seconds\": 9}, {\"name\": \"b\", \"command\":"
                + " [\"true\"], \"depends_on\": [\"a\"], \"env\": {\"X\": \"${params.series}\"}}]}",
            SCHEMA);
    assertThat(json).isEqualTo(yaml);
    assertThat(yaml.task("a").retries()).isEqualTo(2);
    assertThat(yaml.task("a").timeoutSeconds()).isEqualTo(9);
    assertThat(yaml.downstreamOf("a")).containsExactly("b");
    assertThat(yaml.withDownstream(java.util.Set.of("a"))).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void namesAnUnknownDependency() {
    assertThat(problems("tasks: [{name: a, command: [x], depends_on: [ghost]}]"))
        .containsExactly("task 'a' depends on unknown task 'ghost'");
  }

  @Test
  void namesTheTasksOfACycle() {
    assertThat(
            problems(
                "tasks: [{name: a, command: [x], depends_on: [c]}, {name: b, command: [x],"
                    + " depends_on: [a]}, {name: c, command: [x], depends_on: [b]}]"))
        .singleElement()
        .asString()
        .contains("cycle")
        .contains("a → c → b → a");
  }

  @Test
  void refusesAnEmptyCommand() {
    assertThat(problems("tasks: [{name: a, command: []}]"))
        .containsExactly("tasks[0] (a): 'command' must be a non-empty list of strings (the argv)");
  }

  @Test
  void namesAnUnknownParameterReferenceAndWhereItIs() {
    assertThat(problems("tasks: [{name: a, command: [echo, 'x ${params.seires}']}]"))
        .containsExactly(
            "tasks[0] (a): command[1] refers to unknown parameter 'seires' (the parameters schema"
                + " declares series)");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirPosition() {
    assertThat(problems("tasks: [{name: a, command: [x]}\n  oops: ]"))
        .singleElement()
        .asString()
        .startsWith("not YAML or JSON")
        .contains("line 2");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThat(
            problems(
                "tasks: [{name: 'bad name', command: [x]}, {name: b, command: [x], retries: -1,"
                    + " colour: red}, {name: b, command: [y]}]"))
        .hasSize(4);
  }

  @Test
  void theSchemasErrorsSayWhereTheyAreInTheDefinitionsWords() {
    assertThat(
            problems(
                "tasks: [{command: [x, [y]], env: {'1A': a, B: [1]}, depends_on: x},"
                    + " {name: b, command: [x], timeout_seconds: 0}, 7]\nextra: 1"))
        .containsExactlyInAnyOrder(
            "unknown key 'extra' (a definition has only 'tasks')",
            "tasks[0]: 'name' is required",
            "tasks[0]: command[1] must be a string",
            "tasks[0]: env name '1A' is not a valid variable name",
            "tasks[0]: env.B must be a string",
            "tasks[0]: 'depends_on' must be a list of task names",
            "tasks[1] (b): 'timeout_seconds' must be a whole number from 1 to 604800",
            "tasks[2]: must be an object");
    assertThat(problems("[1]"))
        .containsExactly("the definition must be an object with a 'tasks' list");
    assertThat(problems("tasks: []")).containsExactly("'tasks' must be a non-empty list");
  }

  @Test
  void thePublishedSchemaIsTheOneInTheJar() throws Exception {
    java.nio.file.Path published =
        java.nio.file.Path.of("..", "docs", "schemas", DefinitionSchema.RESOURCE);
    try (var packaged = DefinitionSchema.class.getResourceAsStream(DefinitionSchema.RESOURCE)) {
      assertThat(new String(packaged.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(java.nio.file.Files.readString(published));
    }
  }

  @Test
  void substitutesParametersByType() {
    Map<String, Object> params =
        Map.of(
            "s",
            "text",
            "n",
            new java.math.BigDecimal("1.50"),
            "b",
            true,
            "o",
            Map.of("k", List.of(1, 2)));
    assertThat(
            LocalDefinition.substitute("${params.s}|${params.n}|${params.b}|${params.o}", params))
        .isEqualTo("text|1.50|true|{\"k\":[1,2]}");
    assertThat(LocalDefinition.substitute("${HOME} $params.s", params))
        .isEqualTo("${HOME} $params.s");
  }
}
