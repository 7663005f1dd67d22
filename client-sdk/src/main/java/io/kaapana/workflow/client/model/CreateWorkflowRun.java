package io.kaapana.workflow.client.model;

import java.util.Map;

/** The body of {@code POST /v1/workflow-runs}. */
public record CreateWorkflowRun(
    WorkflowReference workflow, Map<String, Object> parameters, Map<String, String> labels) {
  /** A run of the current revision of the workflow with that title. */
  public static CreateWorkflowRun of(String workflowTitle, Map<String, Object> parameters) {
    return new CreateWorkflowRun(WorkflowReference.byTitle(workflowTitle), parameters, null);
  }
}
