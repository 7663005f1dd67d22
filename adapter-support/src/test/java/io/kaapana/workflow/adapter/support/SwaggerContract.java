package io.kaapana.workflow.adapter.support;

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
 * Checks exchanges with an engine's stub against the engine's published Swagger 2.0 document (the
 * stub argo-server's, the stub KFP API server's): the operation exists, query parameters are
 * declared, and JSON bodies match their schemas. Test code, shared through this module's test-jar.
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
      return new SwaggerContract(file, EngineClient.JSON.readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  public String name() {
    return name;
  }

  public List<String> violations(
      String method, String path, Map<String, String> query, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path;
    String template = template(path, method);
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
        ObjectNode root = EngineClient.JSON.createObjectNode();
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
  public List<String> responseViolations(String method, String path, int status, JsonNode body) {
    List<String> problems = new ArrayList<>();
    String where = method + " " + path + " -> " + status;
    String template = template(path, method);
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
      ObjectNode root = EngineClient.JSON.createObjectNode();
      root.setAll((ObjectNode) schema.deepCopy());
      root.set("definitions", spec.path("definitions"));
      for (Error error : registry.getSchema(root).validate(body)) {
        problems.add(where + " answer " + error.getInstanceLocation() + ": " + error.getMessage());
      }
    }
    return problems;
  }

  /**
   * The path template a request path matches: of several, one that has the method; then the fewest
   * parameters; then the most literal text ("/runs/{id}:retry" over "/runs/{id}", which matches
   * "abc:retry" too).
   */
  private String template(String path, String method) {
    String best = null;
    int bestScore = Integer.MIN_VALUE;
    Iterator<String> names = spec.path("paths").fieldNames();
    while (names.hasNext()) {
      String template = names.next();
      String regex = "^" + Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
      if (!path.matches(regex)) {
        continue;
      }
      boolean hasMethod =
          !spec.path("paths").path(template).path(method.toLowerCase()).isMissingNode();
      int parameters = template.split("\\{", -1).length - 1;
      int literal = template.replaceAll("\\{[^}]+}", "").length();
      int score = (hasMethod ? 1_000_000 : 0) - parameters * 1_000 + literal;
      if (score > bestScore) {
        best = template;
        bestScore = score;
      }
    }
    return best;
  }
}
