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
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import com.networknt.schema.walk.ApplyDefaultsStrategy;
import com.networknt.schema.walk.WalkConfig;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
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
    FieldPath tooDeep = deeperThan(schema, FieldPath.REQUEST, MAX_DEPTH);
    if (tooDeep != null) {
      return List.of(
          new FieldError(
              tooDeep, "the schema nests deeper than " + MAX_DEPTH + " levels, the limit"));
    }
    Object type = schema.get("type");
    if (type != null && !"object".equals(type)) {
      errors.add(
          new FieldError(
              FieldPath.REQUEST.key("type"),
              "a parameters schema describes an object: type must be \"object\""));
    }
    findRemoteRefs(schema, FieldPath.REQUEST, errors);
    if (errors.isEmpty()) {
      SchemaRefs.cycle(schema).ifPresent(errors::add);
    }
    if (!errors.isEmpty()) {
      return errors;
    }
    JsonNode node = mapper.valueToTree(schema);
    for (Error e : metaSchema.validate(node)) {
      errors.add(new FieldError(path(e), e.getMessage()));
    }
    if (errors.isEmpty()) {
      try {
        compile(schema);
      } catch (SchemaException | IllegalArgumentException e) {
        errors.add(
            new FieldError(FieldPath.REQUEST, "the schema cannot be used: " + e.getMessage()));
      } catch (StackOverflowError e) {
        errors.add(
            new FieldError(
                FieldPath.REQUEST, "the schema cannot be used: it recurses without end"));
      }
    }
    return errors;
  }

  @Override
  public Map<String, Object> validate(Map<String, Object> schema, Map<String, Object> parameters) {
    FieldPath tooDeep = deeperThan(parameters, FieldPath.REQUEST, MAX_DEPTH);
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
        errors.add(new FieldError(path(e), e.getMessage()));
      }
    } catch (StackOverflowError e) {
      // a safety net: the limits above keep validation's recursion far from the stack's end
      errors.add(
          new FieldError(
              FieldPath.REQUEST, "the parameters cannot be validated: too deeply recursive"));
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

  /** The first place below {@code at} deeper than {@code levels}, or null. */
  static FieldPath deeperThan(Object node, FieldPath at, int levels) {
    if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) {
      return null;
    }
    if (levels == 0) {
      return at;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        FieldPath found = deeperThan(e.getValue(), at.key(String.valueOf(e.getKey())), levels - 1);
        if (found != null) {
          return found;
        }
      }
    } else {
      List<?> list = (List<?>) node;
      for (int i = 0; i < list.size(); i++) {
        FieldPath found = deeperThan(list.get(i), at.index(i), levels - 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static void findRemoteRefs(Object node, FieldPath at, List<FieldError> errors) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        FieldPath child = at.key(key);
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
        findRemoteRefs(list.get(i), at.index(i), errors);
      }
    }
  }

  /** The error's instance location, including a missing required property. */
  static FieldPath path(Error e) {
    FieldPath path = FieldPath.REQUEST;
    NodePath location = e.getInstanceLocation();
    for (int i = 0; location != null && i < location.getNameCount(); i++) {
      path =
          location.getElement(i) instanceof Integer index
              ? path.index(index)
              : path.key(location.getName(i));
    }
    // These keywords locate the object; the property they name is the more useful place.
    if (PROPERTY_KEYWORDS.contains(e.getKeyword()) && e.getProperty() != null) {
      path = path.key(e.getProperty());
    }
    return path;
  }
}
