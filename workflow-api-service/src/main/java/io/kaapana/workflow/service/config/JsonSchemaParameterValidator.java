package io.kaapana.workflow.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  static final int MAX_DEPTH = 32;
  private static final java.util.Set<String> PROPERTY_KEYWORDS =
      java.util.Set.of(
          "required", "additionalProperties", "unevaluatedProperties", "dependentRequired");

  private final ObjectMapper mapper;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
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
    Map<String, Object> withDefaults = applyDefaults(schema, parameters);
    List<FieldError> errors = new ArrayList<>();
    try {
      for (Error e : compile(schema).validate(mapper.valueToTree(withDefaults))) {
        errors.add(new FieldError(pointer(e), e.getMessage()));
      }
    } catch (StackOverflowError e) {
      // a safety net: the limits above keep validation's recursion far from the stack's end
      errors.add(new FieldError("", "the parameters cannot be validated: too deeply recursive"));
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.INVALID_PARAMETERS, errors);
    }
    return withDefaults;
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

  /** Fills in {@code default}s of absent properties, recursively through nested objects. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> applyDefaults(Map<String, Object> schema, Map<String, Object> value) {
    Map<String, Object> result = new LinkedHashMap<>(value);
    if (!(schema.get("properties") instanceof Map<?, ?> properties)) {
      return result;
    }
    for (Map.Entry<?, ?> p : properties.entrySet()) {
      if (!(p.getValue() instanceof Map<?, ?> propertySchema)) {
        continue;
      }
      String name = String.valueOf(p.getKey());
      Object current = result.get(name);
      if (current == null && !result.containsKey(name) && propertySchema.containsKey("default")) {
        result.put(name, propertySchema.get("default"));
      } else if (current instanceof Map<?, ?> nested) {
        result.put(
            name,
            applyDefaults((Map<String, Object>) propertySchema, (Map<String, Object>) nested));
      }
    }
    return result;
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

  /** The error's instance location as a JSON pointer, including a missing required property. */
  static String pointer(Error e) {
    String location =
        toPointer(e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString());
    // These keywords locate the object; the property they name is the more useful place.
    if (PROPERTY_KEYWORDS.contains(e.getKeyword()) && e.getProperty() != null) {
      location = location + "/" + e.getProperty().replace("~", "~0").replace("/", "~1");
    }
    return location;
  }

  static String toPointer(String path) {
    if (path.isEmpty() || path.startsWith("/")) {
      return path;
    }
    if (!path.startsWith("$")) {
      return "/" + path;
    }
    StringBuilder out = new StringBuilder();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        out.append('/').append(escape(path.substring(i + 1, end)));
        i = end;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          end = path.length();
        }
        String inner = path.substring(i + 1, end);
        if (inner.startsWith("'") && inner.endsWith("'") && inner.length() >= 2) {
          inner = inner.substring(1, inner.length() - 1);
        }
        out.append('/').append(escape(inner));
        i = end + 1;
      } else {
        i++;
      }
    }
    return out.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
