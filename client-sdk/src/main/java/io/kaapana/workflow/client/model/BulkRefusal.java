package io.kaapana.workflow.client.model;

import java.util.UUID;

/** A run a bulk event could not apply to, and why. */
public record BulkRefusal(UUID id, String code) {}
