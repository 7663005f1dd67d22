package io.kaapana.workflow.core.domain;

import java.util.Map;

/**
 * What an audited admin change looked at, before and after. Persistence stores it under the names
 * {@code GET /v1/admin/audit} shows; the core only names the facts.
 */
public sealed interface AuditSnapshot permits AuditSnapshot.Run, AuditSnapshot.Workflow {

  /** The parts of a run a forced update may change. */
  record Run(RunState state, String statusMessage, Map<String, String> labels)
      implements AuditSnapshot {
    public static Run of(WorkflowRun run) {
      return new Run(run.state(), run.statusMessage(), run.labels().asMap());
    }
  }

  /** The parts of a workflow a forced update may change. */
  record Workflow(String title, int increment, Map<String, String> labels)
      implements AuditSnapshot {}
}
