package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * argo-server's {@code fields} parameter: a comma-separated list of dotted paths; the answer keeps
 * only those (through arrays such as {@code items}). A path may start with {@code -} in Argo to
 * exclude; the adapter does not use that, so the stub does not either.
 */
final class Fields {

  private Fields() {}

  static JsonNode project(JsonNode root, String fields, String prefix) {
    if (fields == null || fields.isBlank()) {
      return root;
    }
    List<List<String>> paths = new ArrayList<>();
    for (String field : fields.split(",")) {
      String path = field.strip();
      if (!path.isEmpty() && path.startsWith(prefix)) {
        paths.add(List.of(path.substring(prefix.length()).split("\\.")));
      }
    }
    return keep(root, paths);
  }

  private static JsonNode keep(JsonNode node, List<List<String>> paths) {
    for (List<String> path : paths) {
      if (path.isEmpty()) {
        return node; // the whole subtree was asked for
      }
    }
    if (node.isArray()) {
      ArrayNode kept = ArgoHttp.JSON.createArrayNode();
      node.forEach(element -> kept.add(keep(element, paths)));
      return kept;
    }
    if (!node.isObject()) {
      return node;
    }
    Map<String, List<List<String>>> byFirst = new LinkedHashMap<>();
    for (List<String> path : paths) {
      byFirst
          .computeIfAbsent(path.get(0), k -> new ArrayList<>())
          .add(path.subList(1, path.size()));
    }
    ObjectNode kept = ArgoHttp.JSON.createObjectNode();
    byFirst.forEach(
        (name, rest) -> {
          if (node.has(name)) {
            kept.set(name, keep(node.get(name), rest));
          }
        });
    return kept;
  }
}
