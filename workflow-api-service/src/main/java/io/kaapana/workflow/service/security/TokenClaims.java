package io.kaapana.workflow.service.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The claims of a token quarkus-oidc has verified, read by dot-separated paths such as {@code
 * realm_access.roles}. Never used on a token that was not verified.
 */
final class TokenClaims {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode payload;

  private TokenClaims(JsonNode payload) {
    this.payload = payload;
  }

  static TokenClaims of(String verifiedJwt) {
    String[] parts = verifiedJwt.split("\\.");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a JWT");
    }
    try {
      return new TokenClaims(JSON.readTree(Base64.getUrlDecoder().decode(parts[1])));
    } catch (IOException e) {
      throw new IllegalArgumentException("the token's payload is not JSON", e);
    }
  }

  /** A string claim at the top level, or null. */
  String string(String name) {
    JsonNode value = payload.get(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The strings at a path: a list of strings, or one string; nothing when the path is absent. */
  Set<String> strings(String path) {
    JsonNode node = payload;
    for (String step : path.split("\\.")) {
      node = node == null ? null : node.get(step);
    }
    Set<String> found = new LinkedHashSet<>();
    if (node == null) {
      return found;
    }
    if (node.isTextual()) {
      found.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(
          v -> {
            if (v.isTextual()) {
              found.add(v.asText());
            }
          });
    }
    return found;
  }

  /** The strings at each path, together. */
  Set<String> strings(List<String> paths) {
    Set<String> all = new LinkedHashSet<>();
    paths.forEach(p -> all.addAll(strings(p)));
    return all;
  }
}
