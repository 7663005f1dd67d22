package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges.Part;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a workflow's JSON merge patch (the wire names and their JSON types) into the core's {@link
 * WorkflowChanges}: unknown fields are a malformed request, values of the wrong type a failed
 * validation; what the values mean is the core's to check.
 */
final class WorkflowPatchReader {
  private static final Map<String, Part> PARTS =
      Map.of(
          "title", Part.TITLE,
          "description", Part.DESCRIPTION,
          "definition", Part.DEFINITION,
          "parameters_schema", Part.PARAMETERS_SCHEMA,
          "labels", Part.LABELS,
          "workflow_engine", Part.WORKFLOW_ENGINE);

  private WorkflowPatchReader() {}

  static WorkflowChanges read(Map<String, Object> patch) {
    if (patch == null) {
      throw WorkflowApiException.invalid(
          ErrorCode.MALFORMED_REQUEST,
          List.of(new FieldError(FieldPath.REQUEST, "a JSON merge patch object is required")));
    }
    List<FieldError> errors = new ArrayList<>();
    for (String key : patch.keySet()) {
      if (!PARTS.containsKey(key)) {
        errors.add(new FieldError(FieldPointers.at(key), "unknown field '" + key + "'"));
      }
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.MALFORMED_REQUEST, errors);
    }
    Set<Part> parts = EnumSet.noneOf(Part.class);
    patch.keySet().forEach(key -> parts.add(PARTS.get(key)));

    String title = string(patch, "title", "title must be a string", false, errors);
    String description =
        string(patch, "description", "description must be a string or null", true, errors);
    String definition =
        string(patch, "definition", "definition must be a non-empty string", false, errors);
    String engine =
        string(patch, "workflow_engine", "workflow_engine must be a string", false, errors);
    Map<String, String> labels = null;
    if (patch.containsKey("labels")) {
      labels = labelsPatch(patch.get("labels"), errors);
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    return new WorkflowChanges(
        parts, title, description, definition, patch.get("parameters_schema"), labels, engine);
  }

  private static String string(
      Map<String, Object> patch,
      String key,
      String message,
      boolean nullable,
      List<FieldError> errors) {
    if (!patch.containsKey(key)) {
      return null;
    }
    Object value = patch.get(key);
    if (value instanceof String s) {
      return s;
    }
    if (value != null || !nullable) {
      errors.add(new FieldError(FieldPointers.at(key), message));
    }
    return null;
  }

  /** Label keys to values, a null value removing the label (RFC 7396). */
  private static Map<String, String> labelsPatch(Object value, List<FieldError> errors) {
    if (!(value instanceof Map<?, ?> map)) {
      errors.add(new FieldError(FieldPointers.at("labels"), "labels must be an object of strings"));
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (entry.getValue() == null || entry.getValue() instanceof String) {
        labels.put(key, (String) entry.getValue());
      } else {
        errors.add(
            new FieldError(
                FieldPointers.at("labels").key(key), "label values must be strings or null"));
      }
    }
    return labels;
  }
}
