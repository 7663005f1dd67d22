package io.kaapana.workflow.service.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers the outcome of requests sent with an {@code Idempotency-Key}. The key row is inserted
 * first in the request's transaction: a concurrent request with the same key blocks on the unique
 * index until the first commits, then reads its outcome, so all of them get the one result.
 */
@ApplicationScoped
public class IdempotencyStore {
  public record Outcome(String requestHash, UUID resourceId, int statusCode) {}

  private final Jdbc jdbc;

  public IdempotencyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Claims the key for this transaction; empty when it was free, else the earlier outcome. */
  public Optional<Outcome> claim(String scope, String key, String requestHash, Instant now) {
    int inserted =
        jdbc.update(
            "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (scope, key) DO NOTHING",
            Arrays.asList(scope, key, requestHash, now));
    if (inserted == 1) {
      return Optional.empty();
    }
    return jdbc
        .query(
            "SELECT request_hash, resource_id, status_code FROM idempotency_keys WHERE scope = ? AND key = ?",
            List.of(scope, key),
            rs -> new Outcome(rs.getString(1), Jdbc.uuid(rs, "resource_id"), rs.getInt(3)))
        .stream()
        .findFirst();
  }

  public void complete(String scope, String key, UUID resourceId, int statusCode) {
    jdbc.update(
        "UPDATE idempotency_keys SET resource_id = ?, status_code = ? WHERE scope = ? AND key = ?",
        Arrays.asList(resourceId, statusCode, scope, key));
  }

  public int deleteOlderThan(Instant cutoff) {
    return jdbc.update("DELETE FROM idempotency_keys WHERE created_at < ?", List.of(cutoff));
  }
}
