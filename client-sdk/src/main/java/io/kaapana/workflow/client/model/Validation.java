package io.kaapana.workflow.client.model;

import java.time.Instant;
import java.util.List;

/** An adapter's verdict on a revision. */
public record Validation(
    ValidationStatus status, List<String> messages, Instant validatedAt, String adapterId) {}
