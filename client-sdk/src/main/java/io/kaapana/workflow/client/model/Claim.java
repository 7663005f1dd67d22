package io.kaapana.workflow.client.model;

import java.util.List;

/** Work handed to an adapter. */
public record Claim(List<ClaimedWorkflowRun> runs, List<WorkflowRevision> revisions) {}
