package io.kaapana.workflow.service.config;

import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local references of a parameters schema: each must be a JSON pointer ({@code #} or {@code
 * #/…}), and they must not form a cycle (a schema that refers back to itself makes validation
 * recurse with the depth of the parameters, or without end).
 */
final class SchemaRefs {
  /** A reference: where it stands, as a pointer (to match targets) and as a path (to report). */
  private record Ref(String location, FieldPath path, String target) {}

  private SchemaRefs() {}

  /** The first problem with the schema's references, if any. */
  static Optional<FieldError> cycle(Map<String, Object> schema) {
    List<Ref> refs = new ArrayList<>();
    List<FieldError> problems = new ArrayList<>();
    collect(schema, "", FieldPath.REQUEST, refs, problems);
    if (!problems.isEmpty()) {
      return Optional.of(problems.get(0));
    }
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (Ref ref : refs) {
      Optional<FieldError> found = visit(ref, refs, state);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<FieldError> visit(Ref ref, List<Ref> refs, Map<String, Integer> state) {
    String target = ref.target();
    Integer seen = state.get(target);
    if (seen != null && seen == 2) {
      return Optional.empty();
    }
    if (seen != null) {
      return Optional.of(
          new FieldError(
              ref.path(),
              "'$ref' to '#"
                  + target
                  + "' makes the schema refer to itself; recursive parameters schemas are not"
                  + " accepted"));
    }
    state.put(target, 1);
    for (Ref inner : refs) {
      if (inner.location().equals(target) || inner.location().startsWith(target + "/")) {
        Optional<FieldError> found = visit(inner, refs, state);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    state.put(target, 2);
    return Optional.empty();
  }

  private static void collect(
      Object node, String at, FieldPath where, List<Ref> refs, List<FieldError> problems) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (("$ref".equals(key) || "$dynamicRef".equals(key))
            && e.getValue() instanceof String value) {
          String target = pointer(value);
          if (target == null) {
            problems.add(
                new FieldError(
                    where.key(key),
                    "a reference must be a JSON pointer into this schema ('#' or '#/…')"));
          } else {
            refs.add(new Ref(at, where, target));
          }
        } else {
          collect(e.getValue(), at + "/" + escape(key), where.key(key), refs, problems);
        }
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(list.get(i), at + "/" + i, where.index(i), refs, problems);
      }
    }
  }

  /** "#/a/b%20c" → "/a/b c"; "#" → ""; anything else → null. */
  private static String pointer(String ref) {
    if (ref.equals("#")) {
      return "";
    }
    if (!ref.startsWith("#/")) {
      return null;
    }
    String encoded = ref.substring(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        try {
          out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          return null;
        }
      }
      byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
