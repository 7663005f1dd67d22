package io.kaapana.workflow.adapter.kubeflow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** KFP's list filters: URL-encoded JSON ({@code v2beta1Filter}) in the {@code filter} parameter. */
final class Filters {
  private Filters() {}

  /** One predicate: the field (KFP's API name, such as {@code display_name}) equals the value. */
  static String equal(String key, String value) {
    ObjectNode filter = KubeflowHttp.JSON.createObjectNode();
    filter
        .putArray("predicates")
        .addObject()
        .put("operation", "EQUALS")
        .put("key", key)
        .put("string_value", value);
    return filter.toString();
  }
}
