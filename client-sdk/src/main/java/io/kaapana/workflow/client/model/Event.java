package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One change, with its sequence number. */
public record Event(
    long seq,
    String type,
    String objectType,
    String objectId,
    UUID workflowRunId,
    String from,
    String to,
    Map<String, Object> data,
    String actor,
    Instant createdAt) {}
