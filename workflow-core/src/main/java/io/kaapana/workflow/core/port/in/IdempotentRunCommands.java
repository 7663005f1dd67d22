package io.kaapana.workflow.core.port.in;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.RunCommands.CreateRun;
import java.util.UUID;

/**
 * The run writes a client may safely send again: with a key, the first request's outcome is
 * remembered, a repeat answers it without writing anything, and a different request under the same
 * key is refused ({@code idempotency-key-reused}). Each call is one transaction, owned by the
 * caller; concurrent repeats wait for the first and get its outcome.
 */
public interface IdempotentRunCommands {
  /** How a request took effect. */
  enum Outcome {
    /** A run was created. */
    CREATED,
    /** It took effect at once. */
    APPLIED,
    /** It waits for the adapter that holds the run. */
    ACCEPTED
  }

  /**
   * A request's key: {@code scope} names what it may repeat (a key is unique within it), {@code
   * requestHash} identifies the request itself. No key ({@link #NONE}): nothing is remembered.
   */
  record Key(String scope, String key, String requestHash) {
    public static final Key NONE = new Key(null, null, null);

    public boolean present() {
      return key != null;
    }
  }

  /** The run, how the request took effect, and whether this answer repeats an earlier one. */
  record Result(WorkflowRun run, Outcome outcome, boolean replayed) {}

  Result create(CreateRun command, Key key);

  Result request(UUID runId, ActionRequest action, Long expectedVersion, String actor, Key key);

  Result requestTaskRetry(UUID runId, UUID taskRunId, String reason, String actor, Key key);
}
