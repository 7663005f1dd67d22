package io.kaapana.workflow.client.model;

import java.util.Map;

/** A forced update of a workflow's labels or title. */
public record AdminWorkflowPatch(Map<String, String> labels, String title, String reason) {}
