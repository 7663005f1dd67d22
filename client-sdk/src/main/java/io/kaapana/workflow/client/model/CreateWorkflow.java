package io.kaapana.workflow.client.model;

import java.util.Map;

/**
 * The body of {@code POST /v1/workflows}; parametersSchema, labels and description are optional.
 */
public record CreateWorkflow(
    String title,
    String workflowEngine,
    String definition,
    Map<String, Object> parametersSchema,
    Map<String, String> labels,
    String description) {
  public static CreateWorkflow of(
      String title,
      String workflowEngine,
      String definition,
      Map<String, Object> parametersSchema) {
    return new CreateWorkflow(title, workflowEngine, definition, parametersSchema, null, null);
  }
}
