package io.kaapana.workflow.service.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import com.networknt.schema.walk.ApplyDefaultsStrategy;
import com.networknt.schema.walk.WalkConfig;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates run parameters with JSON Schema 2020-12 (networknt). Schemas may only reference
 * themselves ({@code $ref} as a JSON pointer starting with {@code #}), never in a cycle; a
 * parameters schema never fetches anything. Schemas and parameters nest at most {@value #MAX_DEPTH}
 * levels, so that validation's recursion stays bounded.
 */
public class JsonSchemaParameterValidator implements ParameterValidator {
  private static final int MAX_CACHED = 1000;
  private static final TypeReference<Map<String, Object>> PARAMETERS = new TypeReference<>() {};
  static final int MAX_DEPTH = 32;
  private static final java.util.Set<String> PROPERTY_KEYWORDS =
      java.util.Set.of(
          "required", "additionalProperties", "unevaluatedProperties", "dependentRequired");

  private final ObjectMapper mapper;

  /** Error locations as JSON pointers, as the API reports them. */
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));

  /** Fills in a property's {@code default} when the property is absent (not when it is null). */
  private static final WalkConfig APPLY_DEFAULTS =
      WalkConfig.builder()
          .applyDefaultsStrategy(new ApplyDefaultsStrategy(true, false, false))
          .build();

  private final Schema metaSchema =
      registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  public JsonSchemaParameterValidator(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public List<FieldError> checkSchema(Map<String, Object> schema) {
    List<FieldError> errors = new ArrayList<>();
    String tooDeep = deeperThan(schema, "", MAX_DEPTH);
    if (tooDeep != null) {
      return List.of(
          new FieldError(
              tooDeep, "the schema nests deeper than " + MAX_DEPTH + " levels, the limit"));
    }
    Object type = schema.get("type");
    if (type != null && !"object".equals(type)) {
      errors.add(
          new FieldError(
              "/type", "a parameters schema describes an object: type must be \"object\""));
    }
    findRemoteRefs(schema, "", errors);
    if (errors.isEmpty()) {
      SchemaRefs.cycle(schema).ifPresent(errors::add);
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    JsonNode node = mapper.valueToTree(schema);
    for (Error e : metaSchema.validate(node)) {
      errors.add(new FieldError(pointer(e), e.getMessage()));
    }
    if (errors.isEmpty()) {
      try {
        compile(schema);
      } catch (SchemaException | IllegalArgumentException e) {
        errors.add(new FieldError("", "the schema cannot be used: " + e.getMessage()));
      } catch (StackOverflowError e) {
        errors.add(new FieldError("", "the schema cannot be used: it recurses without end"));
      }
    }
    return errors;
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> schema, Map<String, Object> parameters) {
    String tooDeep = deeperThan(parameters, "", MAX_DEPTH);
    if (tooDeep != null) {
      throw WorkflowApiException.invalid(
          ErrorCode.INVALID_PARAMETERS,
          List.of(
              new FieldError(
                  tooDeep, "parameters nest deeper than " + MAX_DEPTH + " levels, the limit")));
    }
    JsonNode node = mapper.valueToTree(parameters);
    List<FieldError> errors = new ArrayList<>();
    try {
      // one walk both validates and fills in the defaults (in place, into the node)
      Schema compiledSchema = compile(schema);
      ExecutionContext context = compiledSchema.createExecutionContext();
      context.setWalkConfig(APPLY_DEFAULTS);
      for (Error e : compiledSchema.walk(context, node, true).getErrors()) {
        errors.add(new FieldError(pointer(e), e.getMessage()));
      }
    } catch (StackOverflowError e) {
      // a safety net: the limits above keep validation's recursion far from the stack's end
      errors.add(new FieldError("", "the parameters cannot be validated: too deeply recursive"));
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.INVALID_PARAMETERS, errors);
    }
    return mapper.convertValue(node, PARAMETERS);
  }

  private Schema compile(Map<String, Object> schema) {
    String text;
    try {
      text = mapper.writeValueAsString(schema);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
    if (compiled.size() > MAX_CACHED) {
      compiled.clear();
    }
    return compiled.computeIfAbsent(text, t -> registry.getSchema(t, InputFormat.JSON));
  }

  /** The pointer of the first place below {@code at} deeper than {@code levels}, or null. */
  static String deeperThan(Object node, String at, int levels) {
    if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
      return null;
    }
    if (levels == 0) {
      return at;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String found =
            deeperThan(e.getValue(), at + "/" + escape(String.valueOf(e.getKey())), levels - 1);
        if (found != null) {
          return found;
        }
      }
    } else {
      List<?> list = (List<?>) node;
      for (int i = 0; i < list.size(); i++) {
        String found = deeperThan(list.get(i), at + "/" + i, levels - 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static void findRemoteRefs(Object node, String at, List<FieldError> errors) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        String child = at + "/" + key.replace("~", "~0").replace("/", "~1");
        if (("$ref".equals(key) || "$dynamicRef".equals(key))
            && e.getValue() instanceof String ref
            && !ref.startsWith("#")) {
          errors.add(
              new FieldError(child, "only local references ('#…') are allowed, got '" + ref + "'"));
        } else {
          findRemoteRefs(e.getValue(), child, errors);
        }
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        findRemoteRefs(list.get(i), at + "/" + i, errors);
      }
    }
  }

  /** The error's instance location (a JSON pointer), including a missing required property. */
  static String pointer(Error e) {
    String location = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
    // These keywords locate the object; the property they name is the more useful place.
    if (PROPERTY_KEYWORDS.contains(e.getKeyword()) && e.getProperty() != null) {
      location = location + "/" + e.getProperty().replace("~", "~0").replace("/", "~1");
    }
    return location;
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
