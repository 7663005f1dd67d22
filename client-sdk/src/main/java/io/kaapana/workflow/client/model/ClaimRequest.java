package io.kaapana.workflow.client.model;

/** The body of {@code POST /v1/adapters/{id}/claims}. */
public record ClaimRequest(int limit, int waitSeconds) {}
