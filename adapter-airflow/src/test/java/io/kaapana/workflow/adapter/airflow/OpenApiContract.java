package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.kaapana.workflow.adapter.support.EngineClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks exchanges with Airflow against one of Airflow's published OpenAPI documents (kept in
 * {@code shared/specs}): the operation exists, every query parameter is declared, the request body
 * and the response body match their schemas, and the status is one the operation declares.
 */
final class OpenApiContract {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String name;
  private final JsonNode spec;
  private final String pathPrefix;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiContract(String name, JsonNode spec, String pathPrefix) {
    this.name = name;
    this.spec = spec;
    this.pathPrefix = pathPrefix;
    this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
  }

  /**
   * Both documents say "may be null" with OpenAPI 3.0's {@code nullable: true}, also beside a
   * {@code $ref} (where 3.0 validators ignore it). Rewritten as {@code anyOf} with {@code null},
   * the schemas mean what Airflow means under JSON Schema 2020-12.
   */
  private static JsonNode withNullAsAnyOf(JsonNode node) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, withNullAsAnyOf(node.get(i)));
      }
      return node;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode object = (ObjectNode) node;
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      object.set(name, withNullAsAnyOf(object.get(name)));
    }
    if (object.path("nullable").asBoolean(false)) {
      object.remove("nullable");
      ObjectNode nullable = AirflowHttp.JSON.createObjectNode();
      nullable.putArray("anyOf").add(object).addObject().put("type", "null");
      return nullable;
    }
    return node;
  }

  /** The document for an Airflow major version: 2.10 for v1, 3.2 for v2 (what the tests run). */
  static OpenApiContract forAirflow(int major) {
    String file = major == 2 ? "airflow-2.10-v1.yaml" : "airflow-3.2-v2.yaml";
    return load(file);
  }

  static OpenApiContract load(String file) {
    String path = "/openapi/" + file;
    try (java.io.InputStream in = OpenApiContract.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no " + path + " on the test class path");
      }
      JsonNode spec = withNullAsAnyOf(YAML.readTree(in));
      // v1's paths are relative to its server /api/v1; v2's include /api/v2.
      String prefix = file.contains("-v1") ? "/api/v1" : "";
      return new OpenApiContract(file, spec, prefix);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  String name() {
    return name;
  }

  /** Every way the exchange departs from the document; empty when it conforms. */
  List<String> violations(EngineClient.Exchange exchange) {
    List<String> problems = new ArrayList<>();
    String where = exchange.method() + " " + exchange.path();
    if (!exchange.path().startsWith(pathPrefix)) {
      problems.add(where + ": not below " + pathPrefix);
      return problems;
    }
    String relative = exchange.path().substring(pathPrefix.length());
    String template = template(relative);
    if (template == null) {
      problems.add(where + ": no such path in " + name);
      return problems;
    }
    JsonNode pathItem = spec.path("paths").path(template);
    JsonNode operation = pathItem.path(exchange.method().toLowerCase(java.util.Locale.ROOT));
    if (operation.isMissingNode()) {
      problems.add(where + ": " + template + " has no " + exchange.method() + " in " + name);
      return problems;
    }
    Set<String> declared = new HashSet<>();
    for (JsonNode parameter : parameters(pathItem, operation)) {
      if ("query".equals(parameter.path("in").asText())) {
        declared.add(parameter.path("name").asText());
      }
    }
    for (String query : exchange.query().keySet()) {
      if (!declared.contains(query)) {
        problems.add(where + ": query parameter " + query + " is not declared for " + template);
      }
    }
    if (exchange.requestBody() != null && !exchange.requestBody().isNull()) {
      JsonNode schema =
          resolve(operation.path("requestBody"))
              .path("content")
              .path("application/json")
              .path("schema");
      if (schema.isMissingNode()) {
        problems.add(where + ": " + template + " takes no JSON body");
      } else {
        for (Error error : schema(schema).validate(exchange.requestBody())) {
          problems.add(
              where + " request " + error.getInstanceLocation() + ": " + error.getMessage());
        }
      }
    }
    JsonNode responses = operation.path("responses");
    String status = String.valueOf(exchange.status());
    JsonNode response = responses.has(status) ? responses.get(status) : responses.get("default");
    if (response == null && exchange.status() < 500) {
      problems.add(where + ": status " + status + " is not declared for " + template);
      return problems;
    }
    if (response != null
        && exchange.status() >= 200
        && exchange.status() < 300
        && exchange.contentType().contains("json")
        && exchange.responseBody() != null
        && !exchange.responseBody().isEmpty()) {
      JsonNode schema = resolve(response).path("content").path("application/json").path("schema");
      if (!schema.isMissingNode()) {
        try {
          JsonNode body = AirflowHttp.JSON.readTree(exchange.responseBody());
          for (Error error : schema(schema).validate(body)) {
            problems.add(
                where
                    + " response "
                    + status
                    + " "
                    + error.getInstanceLocation()
                    + ": "
                    + error.getMessage());
          }
        } catch (IOException e) {
          problems.add(where + " response is not JSON: " + e.getMessage());
        }
      }
    }
    return problems;
  }

  /** The path template that matches; literal segments win over parameters. */
  private String template(String path) {
    String best = null;
    int bestParameters = Integer.MAX_VALUE;
    Iterator<String> names = spec.path("paths").fieldNames();
    while (names.hasNext()) {
      String template = names.next();
      String regex = "^" + Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
      if (path.matches(regex)) {
        int parameters = template.split("\\{", -1).length - 1;
        if (parameters < bestParameters) {
          best = template;
          bestParameters = parameters;
        }
      }
    }
    return best;
  }

  private List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
    List<JsonNode> parameters = new ArrayList<>();
    pathItem.path("parameters").forEach(p -> parameters.add(resolve(p)));
    operation.path("parameters").forEach(p -> parameters.add(resolve(p)));
    return parameters;
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = spec.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /** A schema in the document, compiled with the document's components in reach of its $refs. */
  private Schema schema(JsonNode schema) {
    return schemas.computeIfAbsent(
        schema.toString(),
        key -> {
          ObjectNode root = AirflowHttp.JSON.createObjectNode();
          root.setAll((ObjectNode) schema.deepCopy());
          root.set("components", spec.path("components"));
          return registry.getSchema(root);
        });
  }
}
