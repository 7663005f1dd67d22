package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Stores workflows and their append-only revisions. Called inside the caller's transaction. */
public interface WorkflowRepository {
  Optional<Workflow> find(UUID id);

  /** Loads and locks the workflow until the transaction ends. */
  Optional<Workflow> findForUpdate(UUID id);

  Optional<Workflow> findActiveByTitle(String title);

  Optional<WorkflowRevision> findRevision(UUID workflowId, int increment);

  /**
   * Inserts a new workflow unless another active workflow holds its title.
   *
   * @return false, and nothing written, when the title is taken (also by a concurrent insert that
   *     committed first)
   */
  boolean insert(Workflow workflow);

  /**
   * Writes the in-place fields.
   *
   * @throws io.kaapana.workflow.core.domain.WorkflowApiException {@code title-taken} when another
   *     active workflow holds the new title
   */
  void update(Workflow workflow);

  void insertRevision(WorkflowRevision revision);

  /** Writes the validation, task graph and engine reference of a revision. */
  void updateValidation(WorkflowRevision revision);

  /**
   * Takes revisions for an adapter to validate: PENDING revisions of this engine's active
   * workflows, matching the selector, that no adapter is validating (or whose validation claim
   * ended before {@code now}); oldest first, at most {@code limit}; records {@code adapterId} as
   * validating them until {@code until}. Revisions another transaction holds locked are skipped.
   */
  List<WorkflowRevision> claimValidations(
      String workflowEngine,
      LabelSelector selector,
      String adapterId,
      Instant now,
      Instant until,
      int limit);
}
