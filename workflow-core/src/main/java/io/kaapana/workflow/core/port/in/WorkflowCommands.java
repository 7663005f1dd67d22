package io.kaapana.workflow.core.port.in;

import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import java.util.List;
import java.util.Map;
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

  WorkflowWithRevision create(CreateWorkflow command);

  /**
   * Applies a JSON merge patch ({@code title}, {@code description}, {@code definition}, {@code
   * parameters_schema}, {@code labels}); versioned fields append a revision.
   *
   * @param expectedVersion the {@code If-Match} version, or null for none
   */
  WorkflowWithRevision patch(
      UUID id, Map<String, Object> mergePatch, Long expectedVersion, String actor);

  /** Archives (soft-deletes) the workflow. Idempotent. */
  void archive(UUID id, Long expectedVersion, String actor);

  WorkflowRevision recordValidation(UUID workflowId, int increment, ValidationVerdict verdict);

  /** Admin: sets labels (immutable ones too) and title, audited, without a new revision. */
  WorkflowWithRevision forceUpdate(
      UUID id, Map<String, String> labels, String title, String reason, String actor);
}
