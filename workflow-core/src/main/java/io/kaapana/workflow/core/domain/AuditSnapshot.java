package io.kaapana.workflow.core.domain;

import java.util.Map;

/**
 * What an audited admin change looked at, before and after. Persistence stores it under the names
 * {@code GET /v1/admin/audit} shows; the core only names the facts.
 */
public sealed interface AuditSnapshot
    permits AuditSnapshot.Run, AuditSnapshot.Workflow, AuditSnapshot.AdapterEntry {

  /** The parts of a run a forced update may change. */
  record Run(RunState state, String statusMessage, Map<String, String> labels)
      implements AuditSnapshot {
    public static Run of(WorkflowRun run) {
      return new Run(run.state(), run.statusMessage(), run.labels().asMap());
    }
  }

  /** What an adapter's registration says: what it serves and where the service reaches it. */
  record AdapterEntry(
      String workflowEngine,
      String labelSelector,
      java.util.List<String> capabilities,
      String endpointUrl,
      int leaseSeconds)
      implements AuditSnapshot {
    public static AdapterEntry of(Adapter adapter) {
      return new AdapterEntry(
          adapter.workflowEngine(),
          adapter.labelSelector(),
          adapter.capabilities().stream().map(Enum::name).toList(),
          adapter.endpointUrl(),
          adapter.leaseSeconds());
    }
  }

  /** The parts of a workflow a forced update may change. */
  record Workflow(String title, int increment, Map<String, String> labels)
      implements AuditSnapshot {}
}
