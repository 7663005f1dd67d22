package io.kaapana.workflow.adapter.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One revision of a workflow, as the adapter deploys it.
 *
 * @param workflowId the workflow's id (a UUID as text)
 * @param increment the revision number, from 1
 * @param title the workflow's title when the revision was handed out, or null; titles change in
 *     place, so an adapter never builds an engine id from it
 * @param definition the engine-native definition, as posted
 * @param parametersSchema the JSON Schema of the run parameters, as JSON text
 * @param labels the revision's labels, including the {@code kaapana.io/…} system labels
 */
public record RevisionSpec(
    String workflowId,
    int increment,
    String title,
    String definition,
    String parametersSchema,
    Map<String, String> labels) {
  public RevisionSpec {
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(definition, "definition");
    parametersSchema = parametersSchema == null ? "{\"type\":\"object\"}" : parametersSchema;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
