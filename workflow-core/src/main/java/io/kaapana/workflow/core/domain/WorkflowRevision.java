package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One immutable version of a workflow's content. Only its validation, task graph and engine
 * reference are filled in later, by the adapter that deploys it.
 *
 * @param parametersSchema a JSON Schema 2020-12 object as a plain Java tree
 * @param labels the client's labels plus the service's {@code kaapana.io/} labels
 */
public record WorkflowRevision(
    UUID workflowId,
    int increment,
    String definition,
    Map<String, Object> parametersSchema,
    Labels labels,
    String specHash,
    Instant createdAt,
    Validation validation,
    List<TaskDefinition> tasks,
    String engineRef) {

  public WorkflowRevision {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /**
   * SHA-256 of the canonical JSON of definition, parameters schema and the client's labels. The
   * member names are part of the hash's format, not the API's: renaming one would change the hash
   * of every stored revision and turn identical re-posts into conflicts.
   */
  public static String specHash(
      String definition, Map<String, Object> parametersSchema, Labels labels) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("definition", definition);
    content.put("parameters_schema", parametersSchema);
    content.put("labels", labels.withoutSystemLabels().asMap());
    return CanonicalJson.sha256(content);
  }

  public WorkflowRevision validated(
      Validation newValidation, List<TaskDefinition> newTasks, String newEngineRef) {
    return new WorkflowRevision(
        workflowId,
        increment,
        definition,
        parametersSchema,
        labels,
        specHash,
        createdAt,
        newValidation,
        newTasks == null ? tasks : newTasks,
        newEngineRef == null ? engineRef : newEngineRef);
  }
}
