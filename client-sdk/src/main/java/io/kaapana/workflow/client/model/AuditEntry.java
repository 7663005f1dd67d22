package io.kaapana.workflow.client.model;

import java.time.Instant;

/**
 * One audited action.
 *
 * @param actor a user name, else a client, else a token subject
 * @param actorSubject the token's subject (null for records of a sweep, and older ones)
 * @param actorClientId the client the token was issued to, if any
 */
public record AuditEntry(
    long id,
    String actor,
    String actorSubject,
    String actorClientId,
    String action,
    String objectType,
    String objectId,
    Object before,
    Object after,
    String reason,
    Instant createdAt) {}
