package io.kaapana.workflow.core.domain;

import java.util.List;

/** One node of a revision's task graph, as reported by the adapter that deployed it. */
public record TaskDefinition(
    String title, String displayName, String type, List<String> downstream) {
  public TaskDefinition {
    downstream = downstream == null ? List.of() : List.copyOf(downstream);
  }
}
