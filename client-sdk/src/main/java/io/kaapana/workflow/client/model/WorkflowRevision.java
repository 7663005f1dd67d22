package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One revision of a workflow. */
public record WorkflowRevision(
    UUID workflowId,
    int increment,
    String definition,
    Map<String, Object> parametersSchema,
    Map<String, String> labels,
    String specHash,
    Instant createdAt,
    Validation validation,
    List<Task> tasks,
    String engineRef) {}
