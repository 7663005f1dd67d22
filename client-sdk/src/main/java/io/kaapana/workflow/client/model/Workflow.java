package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A workflow with its current revision. */
public record Workflow(
    UUID id,
    String title,
    String workflowEngine,
    String description,
    Map<String, String> labels,
    boolean archived,
    Instant createdAt,
    Instant updatedAt,
    int increment,
    String definition,
    Map<String, Object> parametersSchema,
    String specHash,
    Validation validation,
    List<Task> tasks) {}
