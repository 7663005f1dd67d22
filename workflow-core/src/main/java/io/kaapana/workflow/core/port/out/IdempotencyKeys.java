package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Outcome;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Remembers requests sent with a key. Called inside the caller's transaction. */
public interface IdempotencyKeys {
  /** What the first request under a key did. */
  record Prior(String requestHash, UUID resourceId, Outcome outcome) {}

  /**
   * Takes the key for this transaction. A concurrent transaction with the same key waits until this
   * one ends, then sees its outcome.
   *
   * @return empty when the key was free, else what the first request did
   */
  Optional<Prior> claim(String scope, String key, String requestHash, Instant now);

  /** Records what the request that claimed the key did. */
  void complete(String scope, String key, UUID resourceId, Outcome outcome);
}
