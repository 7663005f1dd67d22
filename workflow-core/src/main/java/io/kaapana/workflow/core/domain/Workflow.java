package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow: its identity and the fields that change in place. Versioned content lives in its
 * {@link WorkflowRevision}s; {@code currentIncrement} names the current one.
 *
 * @param version optimistic-concurrency counter, the source of the ETag
 */
public record Workflow(
    UUID id,
    String title,
    String workflowEngine,
    String description,
    boolean archived,
    int currentIncrement,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  public Workflow renamed(String newTitle, String newDescription, Instant now) {
    return new Workflow(
        id,
        newTitle,
        workflowEngine,
        newDescription,
        archived,
        currentIncrement,
        createdAt,
        now,
        version + 1);
  }

  public Workflow withCurrentIncrement(int increment, Instant now) {
    return new Workflow(
        id, title, workflowEngine, description, archived, increment, createdAt, now, version + 1);
  }

  public Workflow archive(Instant now) {
    return new Workflow(
        id,
        title,
        workflowEngine,
        description,
        true,
        currentIncrement,
        createdAt,
        now,
        version + 1);
  }
}
