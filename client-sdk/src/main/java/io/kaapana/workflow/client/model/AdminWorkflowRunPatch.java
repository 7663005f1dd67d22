package io.kaapana.workflow.client.model;

import java.util.Map;

/** A forced update of a run. */
public record AdminWorkflowRunPatch(
    Map<String, String> labels, RunState lifecycleStatus, String statusMessage, String reason) {}
