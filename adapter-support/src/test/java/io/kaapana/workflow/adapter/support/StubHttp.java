package io.kaapana.workflow.adapter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the engine stubs' HTTP servers share (test code, in this module's test-jar). */
public final class StubHttp {
  private StubHttp() {}

  /** A raw query string as a map (decoded; the last of repeated names wins). */
  public static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  /** grpc-gateway's error body ({@code googleRpcStatus}: code, message, details). */
  public static ObjectNode grpcError(int code, String message) {
    ObjectNode body = EngineClient.JSON.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    body.putArray("details");
    return body;
  }

  /** Writes a JSON answer. */
  public static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = EngineClient.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
