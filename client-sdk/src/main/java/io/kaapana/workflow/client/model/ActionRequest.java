package io.kaapana.workflow.client.model;

/** What a client asked the holder of a run to do. */
public record ActionRequest(
    RequestedAction type, RetryScope scope, Boolean force, String taskTitle, String reason) {}
