package io.kaapana.workflow.core.fakes;

import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.RunRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A hand-written in-memory stand-in for the run store; counts writes so tests can see them. */
public class InMemoryRunRepository implements RunRepository {
  private final Map<UUID, WorkflowRun> runs = new LinkedHashMap<>();
  private final Map<UUID, TaskRun> taskRuns = new LinkedHashMap<>();
  public int runWrites;
  public int taskRunWrites;

  @Override
  public Optional<WorkflowRun> findForUpdate(UUID id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public List<WorkflowRun> findMatchingForUpdate(
      LabelSelector selector, Set<RunState> states, int limit) {
    return runs.values().stream()
        .filter(r -> selector.matches(r.labels()))
        .filter(r -> states == null || states.isEmpty() || states.contains(r.state()))
        .sorted(Comparator.comparing(WorkflowRun::createdAt).thenComparing(WorkflowRun::id))
        .limit(limit)
        .toList();
  }

  @Override
  public void insert(WorkflowRun run) {
    runs.put(run.id(), run);
    runWrites++;
  }

  @Override
  public void update(WorkflowRun run) {
    runs.put(run.id(), run);
    runWrites++;
  }

  @Override
  public void updateAll(Collection<WorkflowRun> changed) {
    changed.forEach(this::update);
  }

  @Override
  public List<TaskRun> findTaskRuns(UUID runId) {
    return new ArrayList<>(
        taskRuns.values().stream().filter(t -> t.workflowRunId().equals(runId)).toList());
  }

  @Override
  public Optional<TaskRun> findTaskRun(UUID runId, UUID taskRunId) {
    return Optional.ofNullable(taskRuns.get(taskRunId))
        .filter(t -> t.workflowRunId().equals(runId));
  }

  @Override
  public void saveTaskRuns(Collection<TaskRun> changed) {
    for (TaskRun t : changed) {
      taskRuns.put(t.id(), t);
      taskRunWrites++;
    }
  }

  @Override
  public List<WorkflowRun> findClaimableForUpdate(
      String workflowEngine, String adapterId, LabelSelector selector, int limit) {
    return runs.values().stream()
        .filter(WorkflowRun::awaitingClaim)
        .filter(r -> r.workflowEngine().equals(workflowEngine))
        .filter(r -> r.adapterId() == null || r.adapterId().equals(adapterId))
        .filter(r -> selector.matches(r.labels()))
        .sorted(Comparator.comparing(WorkflowRun::createdAt).thenComparing(WorkflowRun::id))
        .limit(limit)
        .toList();
  }

  @Override
  public List<UUID> releaseHeldBy(String adapterId, Collection<UUID> onlyRuns, Instant now) {
    List<UUID> released = new ArrayList<>();
    for (WorkflowRun run : runs.values()) {
      if (adapterId.equals(run.adapterId())
          && (onlyRuns == null || onlyRuns.contains(run.id()))
          && run.needsHolder()) {
        run.release(now);
        runWrites++;
        released.add(run.id());
      }
    }
    return released;
  }
}
