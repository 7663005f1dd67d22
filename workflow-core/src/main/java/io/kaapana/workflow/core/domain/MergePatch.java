package io.kaapana.workflow.core.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/** JSON Merge Patch (RFC 7396) on plain Java trees. */
public final class MergePatch {
  private MergePatch() {}

  @SuppressWarnings("unchecked")
  public static Object apply(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> patchMap)) {
      return patch;
    }
    Map<String, Object> result =
        target instanceof Map<?, ?> t
            ? new LinkedHashMap<>((Map<String, Object>) t)
            : new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : patchMap.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (e.getValue() == null) {
        result.remove(key);
      } else {
        result.put(key, apply(result.get(key), e.getValue()));
      }
    }
    return result;
  }
}
