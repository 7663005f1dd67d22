package io.kaapana.workflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.kaapana.workflow.client.model.*;
import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's DTOs against the OpenAPI document the service publishes (committed as {@code
 * docs/openapi/openapi.json} and kept current by the service's drift test): same property names on
 * the wire, compatible types, same enum values.
 */
class ModelMatchesOpenApiTest {
  private static JsonNode schemas;

  @BeforeAll
  static void readDocument() throws Exception {
    String path = System.getProperty("openapi.document", "../docs/openapi/openapi.json");
    schemas = new ObjectMapper().readTree(new File(path)).path("components").path("schemas");
    assertThat(schemas.size()).as("schemas in " + path).isGreaterThan(20);
  }

  static Stream<Arguments> records() {
    Map<Class<?>, String> pairs = new java.util.LinkedHashMap<>();
    for (Class<?> type :
        List.of(
            Workflow.class,
            WorkflowRevision.class,
            Validation.class,
            Task.class,
            CreateWorkflow.class,
            WorkflowReference.class,
            CreateWorkflowRun.class,
            WorkflowRun.class,
            ClaimedWorkflowRun.class,
            ActionRequest.class,
            WorkflowRunEvent.class,
            TaskRunEvent.class,
            BulkWorkflowRunEvent.class,
            BulkResult.class,
            BulkRefusal.class,
            TaskRun.class,
            Event.class,
            LogLine.class,
            LogPage.class,
            Adapter.class,
            AdapterRegistration.class,
            ClaimRequest.class,
            Claim.class,
            StatusReport.class,
            TaskRunReport.class,
            ValidationReport.class,
            PurgeRequest.class,
            PurgeRuns.class,
            PurgeResult.class,
            AdminWorkflowPatch.class,
            AdminWorkflowRunPatch.class,
            AuditEntry.class,
            CallerIdentity.class,
            Problem.class)) {
      pairs.put(type, type.getSimpleName());
    }
    pairs.put(Page.class, "PageDtoRunDto");
    return pairs.entrySet().stream().map(e -> Arguments.of(e.getValue(), e.getKey()));
  }

  static Stream<Arguments> enums() {
    return Stream.of(
            RunState.class,
            TaskRunState.class,
            RequestedAction.class,
            RetryScope.class,
            ValidationStatus.class,
            Severity.class,
            Capability.class)
        .map(e -> Arguments.of(e.getSimpleName(), e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void recordHasTheSchemasPropertiesWithCompatibleTypes(String schemaName, Class<?> type) {
    JsonNode schema = schemas.path(schemaName);
    assertThat(schema.isMissingNode()).as("schema " + schemaName + " exists").isFalse();
    Map<String, Type> wire = wireProperties(type);
    assertThat(new TreeSet<>(wire.keySet()))
        .as("properties of " + schemaName)
        .isEqualTo(new TreeSet<>(iterable(schema.path("properties").fieldNames())));
    List<String> mismatches = new ArrayList<>();
    wire.forEach(
        (name, javaType) -> {
          JsonNode property = resolve(schema.path("properties").path(name));
          if (!compatible(property, javaType)) {
            mismatches.add(name + ": " + javaType.getTypeName() + " vs " + property);
          }
        });
    assertThat(mismatches).as("type mismatches in " + schemaName).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enums")
  void enumHasTheSchemasValues(String schemaName, Class<? extends Enum<?>> type) {
    List<String> values = new ArrayList<>();
    schemas.path(schemaName).path("enum").forEach(v -> values.add(v.asText()));
    assertThat(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList())
        .as("values of " + schemaName)
        .isEqualTo(values);
  }

  /** The record's properties as the client's ObjectMapper names them on the wire. */
  private static Map<String, Type> wireProperties(Class<?> type) {
    ObjectMapper json = HttpTransport.JSON;
    BeanDescription description =
        json.getDeserializationConfig().introspect(json.constructType(type));
    Map<String, Type> byComponent = new TreeMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      byComponent.put(component.getName(), component.getGenericType());
    }
    Map<String, Type> wire = new TreeMap<>();
    for (BeanPropertyDefinition property : description.findProperties()) {
      Type javaType = byComponent.get(property.getInternalName());
      if (javaType != null) {
        wire.put(property.getName(), javaType);
      }
    }
    return wire;
  }

  private static JsonNode resolve(JsonNode node) {
    if (node.has("anyOf") && node.get("anyOf").size() == 2 && isNull(node.get("anyOf").get(1))) {
      return resolve(node.get("anyOf").get(0)); // nullable reference: the Java side may hold null
    }
    if (node.has("$ref")) {
      String name = node.get("$ref").asText().replace("#/components/schemas/", "");
      return schemas.path(name);
    }
    if (node.has("allOf") && node.get("allOf").size() == 1) {
      return resolve(node.get("allOf").get(0));
    }
    return node;
  }

  private static boolean isNull(JsonNode schema) {
    return schema.path("type").asText("").equals("null");
  }

  private static boolean compatible(JsonNode property, Type javaType) {
    Class<?> raw =
        javaType instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) javaType;
    String schemaType = property.path("type").asText("");
    if (property.path("type").isArray()) {
      // ["string", "null"]: a nullable property, which a primitive cannot hold
      List<String> types = new ArrayList<>();
      property.path("type").forEach(t -> types.add(t.asText()));
      if (types.contains("null") && raw.isPrimitive()) {
        return false;
      }
      types.remove("null");
      schemaType = types.size() == 1 ? types.get(0) : "";
    }
    if (raw == Object.class) {
      return true; // free-form (audit before/after)
    }
    if (raw.isEnum()) {
      return property.has("enum") || schemaType.equals("string");
    }
    if (raw == String.class || raw == UUID.class || raw == Instant.class) {
      return schemaType.equals("string") || schemaType.isEmpty() && property.size() == 0;
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return schemaType.equals("integer");
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return schemaType.equals("boolean");
    }
    if (List.class.isAssignableFrom(raw)) {
      return schemaType.equals("array");
    }
    if (Map.class.isAssignableFrom(raw) || raw.isRecord()) {
      return schemaType.equals("object") || property.has("properties");
    }
    return false;
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}
