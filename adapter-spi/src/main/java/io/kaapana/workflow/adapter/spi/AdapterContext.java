package io.kaapana.workflow.adapter.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * What the runtime gives an adapter it creates.
 *
 * <p>Thread-safety: every method may be called from any thread, at any time until the adapter is
 * closed.
 */
public interface AdapterContext {

  /** The adapter instance id under which the runtime registered with the Workflow API. */
  String instanceId();

  /**
   * A directory the adapter may keep files in (logs, state). It exists, survives restarts of the
   * same deployment, and is not shared with other instances unless the operator configured so.
   */
  Path dataDirectory();

  /** The clock to stamp observations with. */
  Clock clock();

  /**
   * A hint that the engine state of a run changed, so the runtime observes it soon instead of at
   * its next periodic sync. Never blocks; calling it for an unknown run is harmless.
   */
  void runChanged(String runId);
}
