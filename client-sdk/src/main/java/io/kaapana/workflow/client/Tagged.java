package io.kaapana.workflow.client;

/** An object with its ETag, to send back in {@code If-Match}. */
public record Tagged<T>(T value, String etag) {}
