package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.Query;
import io.kaapana.workflow.client.WorkflowApiClient;
import io.kaapana.workflow.client.model.AdapterRegistration;
import io.kaapana.workflow.client.model.Claim;
import io.kaapana.workflow.client.model.ClaimRequest;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.ValidationReport;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRevision;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.UUID;

/** {@link ServiceCalls} through the client SDK. */
final class ClientServiceCalls implements ServiceCalls {
  /** Lists are read in pages of this size (the API's largest). */
  private static final int PAGE = 500;

  private static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("kaapana.run.id");
  private static final AttributeKey<String> LIFECYCLE_STATUS =
      AttributeKey.stringKey("kaapana.run.lifecycle_status");

  private final WorkflowApiClient api;
  private final RunTracing tracing;

  /** {@code api} sends {@code tracing}'s current context ({@link RunTracing#headers()}). */
  ClientServiceCalls(WorkflowApiClient api, RunTracing tracing) {
    this.api = api;
    this.tracing = tracing;
  }

  @Override
  public void register(String adapterId, AdapterRegistration registration) {
    api.adapters().register(adapterId, registration);
  }

  @Override
  public boolean deregister(String adapterId) {
    try {
      api.adapters().deregister(adapterId);
      return true;
    } catch (ProblemException.NotFoundException e) {
      return false;
    }
  }

  @Override
  public Claim claim(String adapterId, ClaimRequest request) {
    return api.adapters().claim(adapterId, request);
  }

  @Override
  public void reportValidation(UUID workflowId, int increment, ValidationReport report) {
    api.workflows().reportValidation(workflowId, increment, report);
  }

  @Override
  public Workflow workflow(UUID workflowId) {
    return api.workflows().get(workflowId);
  }

  @Override
  public WorkflowRevision revision(UUID workflowId, int increment) {
    return api.workflows().revision(workflowId, increment);
  }

  @Override
  public List<WorkflowRevision> revisions(UUID workflowId) {
    return api.workflows().revisionsAll(workflowId, Query.workflows().limit(PAGE)).toList();
  }

  @Override
  public WorkflowRun reportStatus(UUID runId, StatusReport report) {
    // A span in the run's trace; the service's span of the request is its child.
    Attributes attributes =
        report.lifecycleStatus() == null
            ? Attributes.of(RUN_ID, runId.toString())
            : Attributes.of(
                RUN_ID, runId.toString(), LIFECYCLE_STATUS, report.lifecycleStatus().name());
    return tracing.inSpan(
        "status report", attributes, () -> api.runs().reportStatus(runId, report));
  }

  @Override
  public List<TaskRun> taskRuns(UUID runId) {
    return api.runs().taskRunsAll(runId, Query.taskRuns().limit(PAGE)).toList();
  }

  @Override
  public Page<Event> archivedWorkflowEvents(long afterSeq, int limit) {
    return api.events().list(Query.events().type("workflow.archived").after(afterSeq).limit(limit));
  }
}
