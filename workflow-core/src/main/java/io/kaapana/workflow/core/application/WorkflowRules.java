package io.kaapana.workflow.core.application;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules of a workflow's fields and versions that several use cases check alike. */
final class WorkflowRules {
  static final Pattern ENGINE = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");
  static final Pattern TITLE = Pattern.compile("[A-Za-z0-9._:@/+-]{1,255}");
  static final int MAX_DEFINITION = 1_000_000;

  private WorkflowRules() {}

  /** A revision's labels: the client's, with the system labels naming its workflow and engine. */
  static Labels withSystemLabels(Labels clientLabels, Workflow workflow) {
    Map<String, String> system = new LinkedHashMap<>();
    system.put(Labels.WORKFLOW_ID, workflow.id().toString());
    system.put(Labels.WORKFLOW_ENGINE, workflow.workflowEngine());
    return clientLabels.overlay(Labels.trusted(system));
  }

  static void checkTitle(String title, List<FieldError> errors) {
    if (title == null || !TITLE.matcher(title).matches()) {
      errors.add(
          new FieldError(
              FieldPath.of("title"),
              "{field} must be 1 to 255 characters of [A-Za-z0-9._:@/+-] (it is also the label"
                  + " kaapana.io/workflow-title of every run)"));
    }
  }

  static void checkDefinition(String definition, List<FieldError> errors) {
    if (definition == null || definition.isBlank()) {
      errors.add(new FieldError(FieldPath.of("definition"), "{field} must be a non-empty string"));
    } else if (definition.length() > MAX_DEFINITION) {
      errors.add(
          new FieldError(
              FieldPath.of("definition"),
              "{field} must be at most " + MAX_DEFINITION + " characters"));
    }
  }

  static List<FieldError> under(FieldPath parent, List<FieldError> errors) {
    return errors.stream().map(e -> e.under(parent)).toList();
  }

  static void checkVersion(long actual, Long expected) {
    if (expected != null && expected != actual) {
      throw new WorkflowApiException(
          ErrorCode.PRECONDITION_FAILED,
          "If-Match names version "
              + expected
              + " but the object is at version "
              + actual
              + "; read it again");
    }
  }
}
