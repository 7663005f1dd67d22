package io.kaapana.workflow.core.port.in;

import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Writes to workflows and revisions. Each call is one transaction, owned by the caller. */
public interface WorkflowCommands {

  record CreateWorkflow(
      String title,
      String workflowEngine,
      String definition,
      Map<String, Object> parametersSchema,
      Map<String, String> labels,
      String description,
      String actor) {}

  /** The workflow with its current revision; {@code created} is false for an idempotent re-post. */
  record WorkflowWithRevision(Workflow workflow, WorkflowRevision revision, boolean created) {}

  record ValidationVerdict(
      ValidationStatus status,
      List<String> messages,
      List<TaskDefinition> tasks,
      String engineRef,
      String adapterId) {}

  /**
   * What a change of a workflow names; parts it does not name stay as they are. The labels and the
   * parameters schema are merge patches of the current ones (RFC 7396: a null removes, an object
   * merges); the engine may be named but not changed.
   */
  record WorkflowChanges(
      Set<Part> parts,
      String title,
      String description,
      String definition,
      Object parametersSchemaPatch,
      Map<String, String> labelsPatch,
      String workflowEngine) {

    public enum Part {
      TITLE,
      DESCRIPTION,
      DEFINITION,
      PARAMETERS_SCHEMA,
      LABELS,
      WORKFLOW_ENGINE
    }

    public WorkflowChanges {
      parts = Set.copyOf(parts);
    }

    public boolean has(Part part) {
      return parts.contains(part);
    }
  }

  WorkflowWithRevision create(CreateWorkflow command);

  /**
   * Changes the named parts; versioned ones (definition, parameters schema, labels) append a
   * revision when they differ, title and description change in place.
   *
   * @param expectedVersion the {@code If-Match} version, or null for none
   */
  WorkflowWithRevision patch(UUID id, WorkflowChanges changes, Long expectedVersion, String actor);

  /** Archives (soft-deletes) the workflow. Idempotent. */
  void archive(UUID id, Long expectedVersion, String actor);

  WorkflowRevision recordValidation(UUID workflowId, int increment, ValidationVerdict verdict);

  /** Admin: sets labels (immutable ones too) and title, audited, without a new revision. */
  WorkflowWithRevision forceUpdate(
      UUID id, Map<String, String> labels, String title, String reason, String actor);
}
