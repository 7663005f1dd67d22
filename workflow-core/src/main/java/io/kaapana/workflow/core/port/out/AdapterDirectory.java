package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.WorkflowRun;
import java.util.Set;

/** What the core needs to know of registered adapters. */
public interface AdapterDirectory {
  /**
   * The capabilities of the adapter that would carry out an action on the run: its holder when it
   * is active, otherwise the union over active adapters that serve the run; empty when none.
   */
  Set<Capability> capabilitiesServing(WorkflowRun run);

  /** Whether any active adapter takes runs of this engine. */
  boolean servesEngine(String workflowEngine);
}
