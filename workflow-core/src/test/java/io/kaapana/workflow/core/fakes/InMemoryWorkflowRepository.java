package io.kaapana.workflow.core.fakes;

import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A hand-written in-memory stand-in for the workflow store, with the same title rule. */
public class InMemoryWorkflowRepository implements WorkflowRepository {
  private final Map<UUID, Workflow> workflows = new LinkedHashMap<>();
  private final Map<String, WorkflowRevision> revisions = new LinkedHashMap<>();

  /** Revision key → until when an adapter is validating it. */
  private final Map<String, Instant> validationClaims = new LinkedHashMap<>();

  @Override
  public Optional<Workflow> find(UUID id) {
    return Optional.ofNullable(workflows.get(id));
  }

  @Override
  public Optional<Workflow> findForUpdate(UUID id) {
    return find(id);
  }

  @Override
  public Optional<Workflow> findActiveByTitle(String title) {
    return workflows.values().stream()
        .filter(w -> !w.archived() && w.title().equals(title))
        .findFirst();
  }

  @Override
  public Optional<WorkflowRevision> findRevision(UUID workflowId, int increment) {
    return Optional.ofNullable(revisions.get(workflowId + "/" + increment));
  }

  @Override
  public boolean insert(Workflow workflow) {
    if (findActiveByTitle(workflow.title()).isPresent()) {
      return false;
    }
    workflows.put(workflow.id(), workflow);
    return true;
  }

  @Override
  public void update(Workflow workflow) {
    checkTitle(workflow);
    workflows.put(workflow.id(), workflow);
  }

  private void checkTitle(Workflow workflow) {
    if (!workflow.archived()
        && workflows.values().stream()
            .anyMatch(
                w ->
                    !w.archived()
                        && w.title().equals(workflow.title())
                        && !w.id().equals(workflow.id()))) {
      throw new WorkflowApiException(ErrorCode.TITLE_TAKEN, "title taken");
    }
  }

  @Override
  public void insertRevision(WorkflowRevision revision) {
    String key = revision.workflowId() + "/" + revision.increment();
    if (revisions.containsKey(key)) {
      throw new IllegalStateException("revisions are append-only: " + key + " exists");
    }
    revisions.put(key, revision);
  }

  @Override
  public void updateValidation(WorkflowRevision revision) {
    revisions.put(revision.workflowId() + "/" + revision.increment(), revision);
    validationClaims.remove(revision.workflowId() + "/" + revision.increment());
  }

  @Override
  public List<WorkflowRevision> claimValidations(
      String workflowEngine,
      LabelSelector selector,
      String adapterId,
      Instant now,
      Instant until,
      int limit) {
    List<WorkflowRevision> taken =
        revisions.entrySet().stream()
            .filter(e -> e.getValue().validation().status() == ValidationStatus.PENDING)
            .filter(
                e -> {
                  Workflow w = workflows.get(e.getValue().workflowId());
                  return w != null && !w.archived() && w.workflowEngine().equals(workflowEngine);
                })
            .filter(e -> selector.matches(e.getValue().labels()))
            .filter(
                e -> {
                  Instant claimedUntil = validationClaims.get(e.getKey());
                  return claimedUntil == null || claimedUntil.isBefore(now);
                })
            .map(Map.Entry::getValue)
            .sorted(Comparator.comparing(WorkflowRevision::createdAt))
            .limit(limit)
            .toList();
    taken.forEach(r -> validationClaims.put(r.workflowId() + "/" + r.increment(), until));
    return taken;
  }
}
