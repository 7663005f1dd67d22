package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.client.ProblemException;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.Workflow;
import io.kaapana.workflow.client.model.WorkflowRevision;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets the adapter retire archived workflows of its engine: reads {@code workflow.archived} events
 * after the last one seen (from the start after each start of the runtime: retiring is idempotent).
 */
final class ArchiveRetirer {
  private static final Logger LOG = Logger.getLogger(ArchiveRetirer.class.getName());
  private static final int PAGE = 100;

  private final ServiceCalls service;
  private final EngineCalls engine;
  private final String workflowEngine;

  /** The last {@code workflow.archived} event handed to the adapter (0: none yet). */
  private volatile long archivedEventsSeen;

  ArchiveRetirer(ServiceCalls service, EngineCalls engine, String workflowEngine) {
    this.service = service;
    this.engine = engine;
    this.workflowEngine = workflowEngine;
  }

  void retireArchivedWorkflows() {
    try {
      while (true) {
        Page<Event> page = service.archivedWorkflowEvents(archivedEventsSeen, PAGE);
        for (Event event : page.items()) {
          try {
            retire(UUID.fromString(event.objectId()));
          } catch (AdapterException e) {
            if (e.retryable()) {
              throw e; // the engine is away: try this event again next time
            }
            // Refused for good: say so, and do not let it hold up the events after it.
            LOG.log(
                Level.WARNING,
                "the engine refused to retire archived workflow "
                    + event.objectId()
                    + ": "
                    + e.getMessage());
          }
          archivedEventsSeen = event.seq();
        }
        if (page.items().size() < PAGE) {
          return;
        }
      }
    } catch (AdapterException | RuntimeException e) {
      LOG.log(Level.WARNING, "retiring archived workflows failed: " + e.getMessage());
    }
  }

  private void retire(UUID workflowId) throws AdapterException {
    Workflow workflow;
    try {
      workflow = service.workflow(workflowId);
    } catch (ProblemException.NotFoundException e) {
      return; // deleted for good since
    }
    if (!workflowEngine.equals(workflow.workflowEngine())) {
      return;
    }
    List<String> engineRefs =
        service.revisions(workflowId).stream()
            .map(WorkflowRevision::engineRef)
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    if (!engineRefs.isEmpty()) {
      engine.retire(workflowId.toString(), engineRefs);
      LOG.info(() -> "retired archived workflow " + workflowId + " in the engine: " + engineRefs);
    }
  }
}
