package io.kaapana.workflow.core.port.in;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.ProjectScope;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.StatusReport;
import io.kaapana.workflow.core.domain.WorkflowRun;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Writes to runs and task runs. Each call is one transaction, owned by the caller. */
public interface RunCommands {

  /** Names a workflow by id or by title (an active one), and optionally a revision. */
  record CreateRun(
      UUID workflowId,
      String workflowTitle,
      Integer increment,
      Map<String, Object> parameters,
      Map<String, String> labels,
      String project,
      String actor) {}

  /**
   * The run after a request, and whether it took effect at once (200) or awaits the adapter (202).
   */
  record RequestResult(WorkflowRun run, boolean applied) {}

  record BulkRequest(
      String labelSelector,
      Set<RunState> states,
      ActionRequest action,
      boolean dryRun,
      ProjectScope scope,
      String actor) {}

  record Refusal(UUID runId, ErrorCode code) {}

  record BulkResult(int matched, int applied, List<Refusal> refused) {}

  WorkflowRun create(CreateRun command);

  RequestResult request(UUID runId, ActionRequest action, Long expectedVersion, String actor);

  RequestResult requestTaskRetry(UUID runId, UUID taskRunId, String reason, String actor);

  BulkResult requestBulk(BulkRequest request);

  /** Applies the holder's report; an out-of-date report leaves the run as it is. */
  WorkflowRun report(UUID runId, StatusReport report, String actor);

  /** Admin: overwrites labels, state or message with a reason, bypassing the state machine. */
  WorkflowRun forceUpdate(
      UUID runId,
      Map<String, String> labels,
      RunState state,
      String statusMessage,
      String reason,
      String actor);
}
