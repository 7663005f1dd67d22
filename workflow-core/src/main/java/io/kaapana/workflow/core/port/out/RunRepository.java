package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowRun;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Stores runs and their task runs. Called inside the caller's transaction. */
public interface RunRepository {
  /** Loads and locks the run until the transaction ends. */
  Optional<WorkflowRun> findForUpdate(UUID id);

  /**
   * Loads and locks every run matching the selector and (when not empty) one of the states, oldest
   * first, at most {@code limit}.
   */
  List<WorkflowRun> findMatchingForUpdate(LabelSelector selector, Set<RunState> states, int limit);

  void insert(WorkflowRun run);

  /** Writes the run's changeable fields (callers write only runs they changed). */
  void update(WorkflowRun run);

  /** Writes many changed runs in one batch. */
  void updateAll(Collection<WorkflowRun> runs);

  List<TaskRun> findTaskRuns(UUID runId);

  Optional<TaskRun> findTaskRun(UUID runId, UUID taskRunId);

  /** Inserts new task runs and updates existing ones (matched by id). */
  void saveTaskRuns(Collection<TaskRun> taskRuns);

  /**
   * Loads and locks runs an adapter may claim: waiting for a claim, of its engine, free or already
   * its own, matching its selector; oldest first, at most {@code limit}. Runs another transaction
   * holds locked are skipped, so concurrent claims never return the same run.
   */
  List<WorkflowRun> findClaimableForUpdate(
      String workflowEngine, String adapterId, LabelSelector selector, int limit);

  /**
   * Frees, in one statement, the runs {@code adapterId} holds that still need an adapter (active,
   * or with a requested action) — only those among {@code onlyRuns} when it is not null: no holder,
   * no lease, waiting for a claim again. Settled runs keep their holder so that their logs can
   * still be found.
   *
   * @return the ids of the runs it freed
   */
  List<UUID> releaseHeldBy(String adapterId, Collection<UUID> onlyRuns, Instant now);
}
