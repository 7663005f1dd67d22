package io.kaapana.workflow.client.model;

import java.time.Instant;

/** One admin action. */
public record AuditEntry(
    long id,
    String actor,
    String action,
    String objectType,
    String objectId,
    Object before,
    Object after,
    String reason,
    Instant createdAt) {}
