package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowRun;
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

  /** Writes a changed run; a run whose version did not change is not written. */
  void update(WorkflowRun run);

  /** Writes many changed runs in one batch. */
  void updateAll(Collection<WorkflowRun> runs);

  List<TaskRun> findTaskRuns(UUID runId);

  Optional<TaskRun> findTaskRun(UUID runId, UUID taskRunId);

  /** Inserts new task runs and updates existing ones (matched by id). */
  void saveTaskRuns(Collection<TaskRun> taskRuns);
}
