package io.kaapana.workflow.client.model;

import java.util.UUID;

/** Names a workflow by id or title, and optionally a revision increment. */
public record WorkflowReference(UUID id, String title, Integer increment) {
  public static WorkflowReference byTitle(String title) {
    return new WorkflowReference(null, title, null);
  }

  public static WorkflowReference byId(UUID id) {
    return new WorkflowReference(id, null, null);
  }
}
