package io.kaapana.workflow.adapter.runtime;

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
import java.util.List;
import java.util.UUID;

/**
 * The Workflow API calls the runtime's parts make, so that they can be tested against a fake
 * service. Failures are the client SDK's exceptions ({@code ProblemException} subtypes for
 * problems, {@code WorkflowApiClientException} for transport failures).
 */
interface ServiceCalls {
  void register(String adapterId, AdapterRegistration registration);

  /** Removes the registration; false when the service does not know the adapter. */
  boolean deregister(String adapterId);

  Claim claim(String adapterId, ClaimRequest request);

  void reportValidation(UUID workflowId, int increment, ValidationReport report);

  Workflow workflow(UUID workflowId);

  WorkflowRevision revision(UUID workflowId, int increment);

  List<WorkflowRevision> revisions(UUID workflowId);

  WorkflowRun reportStatus(UUID runId, StatusReport report);

  List<TaskRun> taskRuns(UUID runId);

  /** {@code workflow.archived} events after {@code afterSeq}, oldest first. */
  Page<Event> archivedWorkflowEvents(long afterSeq, int limit);
}
