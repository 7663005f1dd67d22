package io.kaapana.workflow.client;

import com.fasterxml.jackson.databind.JavaType;
import io.kaapana.workflow.client.model.AdminWorkflowPatch;
import io.kaapana.workflow.client.model.AdminWorkflowRunPatch;
import io.kaapana.workflow.client.model.AuditEntry;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.PurgeRequest;
import io.kaapana.workflow.client.model.PurgeResult;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRun;
import java.util.UUID;
import java.util.stream.Stream;

/** Housekeeping (role {@code admin}); every call here is audited. */
public final class AdminApi {
  private static final JavaType AUDIT =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, AuditEntry.class);

  private final HttpTransport transport;

  AdminApi(HttpTransport transport) {
    this.transport = transport;
  }

  /** Deletes archived workflows and old settled runs (or counts them, with {@code dry_run}). */
  public PurgeResult purge(PurgeRequest request) {
    return transport
        .call(HttpTransport.Call.send("POST", "/v1/admin/purge", request, false), PurgeResult.class)
        .body();
  }

  /** Deletes an archived workflow for good, with its revisions and settled runs. */
  public void deleteWorkflow(UUID id) {
    transport.call(HttpTransport.Call.delete("/v1/admin/workflows/" + id), Void.class);
  }

  /** A forced update of a run, bypassing its state machine. */
  public WorkflowRun patchRun(UUID id, AdminWorkflowRunPatch patch) {
    return transport
        .call(
            HttpTransport.Call.send("PATCH", "/v1/admin/workflow-runs/" + id, patch, false),
            WorkflowRun.class)
        .body();
  }

  /** A forced update of a workflow's labels (immutable ones too) or title. */
  public Workflow patchWorkflow(UUID id, AdminWorkflowPatch patch) {
    return transport
        .call(
            HttpTransport.Call.send("PATCH", "/v1/admin/workflows/" + id, patch, false),
            Workflow.class)
        .body();
  }

  public Page<AuditEntry> audit(Query query) {
    return transport
        .<Page<AuditEntry>>call(HttpTransport.Call.get("/v1/admin/audit", query.asMap()), AUDIT)
        .body();
  }

  public Stream<AuditEntry> auditAll(Query query) {
    return Pages.all(query, this::audit);
  }
}
