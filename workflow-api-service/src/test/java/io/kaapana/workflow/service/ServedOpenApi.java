package io.kaapana.workflow.service;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The OpenAPI document the running service serves, and its operations, for generated tests. */
public final class ServedOpenApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One operation: its method in upper case, its path template and its part of the document. */
  public record Operation(String method, String path, JsonNode spec) {}

  private ServedOpenApi() {}

  public static JsonNode document() throws IOException {
    return JSON.readTree(
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  public static List<Operation> operations() throws IOException {
    List<Operation> operations = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> method = methods.next();
        operations.add(
            new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()));
      }
    }
    return operations;
  }
}
