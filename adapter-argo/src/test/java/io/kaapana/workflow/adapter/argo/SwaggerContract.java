package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks requests to argo-server against its published Swagger 2.0 document: the operation exists,
 * query parameters are declared, and the JSON body matches the body parameter's schema.
 */
public final class SwaggerContract {

  private final String name;
  private final JsonNode spec;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft4());

  private SwaggerContract(String name, JsonNode spec) {
    this.name = name;
    this.spec = spec;
  }

  public static SwaggerContract load(String file) {
    try (InputStream in = SwaggerContract.class.getResourceAsStream("/swagger/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no /swagger/" + file + " on the test class path");
      }
      return new SwaggerContract(file, ArgoHttp.JSON.readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  String name() {
    return name;
  }

  List<String> violations(String method, String path, Map<String, String> query, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path;
    String template = template(path);
    if (template == null) {
      problems.add(where + ": no such path in " + name);
      return problems;
    }
    JsonNode operation = spec.path("paths").path(template).path(method.toLowerCase());
    if (operation.isMissingNode()) {
      problems.add(where + ": " + template + " has no " + method + " in " + name);
      return problems;
    }
    Set<String> declared = new HashSet<>();
    JsonNode bodySchema = null;
    List<JsonNode> parameters = new ArrayList<>();
    spec.path("paths").path(template).path("parameters").forEach(parameters::add);
    operation.path("parameters").forEach(parameters::add);
    for (JsonNode parameter : parameters) {
      if ("query".equals(parameter.path("in").asText())) {
        declared.add(parameter.path("name").asText());
      }
      if ("body".equals(parameter.path("in").asText())) {
        bodySchema = parameter.path("schema");
      }
    }
    for (String parameter : query.keySet()) {
      if (!declared.contains(parameter)) {
        problems.add(where + ": query parameter " + parameter + " is not declared");
      }
    }
    if (body != null && !body.isNull()) {
      if (bodySchema == null) {
        problems.add(where + ": takes no body");
      } else {
        ObjectNode root = ArgoHttp.JSON.createObjectNode();
        root.setAll((ObjectNode) bodySchema.deepCopy());
        root.set("definitions", spec.path("definitions"));
        for (Error error : registry.getSchema(root).validate(body)) {
          problems.add(where + " body " + error.getInstanceLocation() + ": " + error.getMessage());
        }
      }
    }
    return problems;
  }

  /**
   * Checks an answer: its status is declared (or the {@code default} error), and a JSON body (each
   * line of a stream) matches the declared schema. Non-JSON answers (artifacts) are not checked.
   */
  List<String> responseViolations(String method, String path, int status, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path + " -> " + status;
    String template = template(path);
    JsonNode operation =
        template == null ? null : spec.path("paths").path(template).path(method.toLowerCase());
    if (operation == null || operation.isMissingNode()) {
      problems.add(where + ": no such operation in " + name);
      return problems;
    }
    JsonNode response = operation.path("responses").path(String.valueOf(status));
    if (response.isMissingNode()) {
      response = operation.path("responses").path("default");
    }
    if (response.isMissingNode()) {
      problems.add(where + ": status not declared in " + name);
      return problems;
    }
    JsonNode schema = response.path("schema");
    if (body != null && schema.isObject() && !"string".equals(schema.path("type").asText())) {
      ObjectNode root = ArgoHttp.JSON.createObjectNode();
      root.setAll((ObjectNode) schema.deepCopy());
      root.set("definitions", spec.path("definitions"));
      for (Error error : registry.getSchema(root).validate(body)) {
        problems.add(where + " answer " + error.getInstanceLocation() + ": " + error.getMessage());
      }
    }
    return problems;
  }

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
}
