package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Outcome;
import io.kaapana.workflow.core.port.out.IdempotencyKeys;
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
public class IdempotencyStore implements IdempotencyKeys {

  private final Jdbc jdbc;

  public IdempotencyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Prior> claim(String scope, String key, String requestHash, Instant now) {
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
            rs -> new Prior(rs.getString(1), Jdbc.uuid(rs, "resource_id"), outcome(rs.getInt(3))))
        .stream()
        .findFirst();
  }

  @Override
  public void complete(String scope, String key, UUID resourceId, Outcome outcome) {
    jdbc.update(
        "UPDATE idempotency_keys SET resource_id = ?, status_code = ? WHERE scope = ? AND key = ?",
        Arrays.asList(resourceId, code(outcome), scope, key));
  }

  /**
   * The column keeps the status the first answer had (201, 200, 202), as the first release wrote
   * it: keys stored before an upgrade still replay.
   */
  private static int code(Outcome outcome) {
    return switch (outcome) {
      case CREATED -> 201;
      case APPLIED -> 200;
      case ACCEPTED -> 202;
    };
  }

  private static Outcome outcome(int code) {
    return switch (code) {
      case 201 -> Outcome.CREATED;
      case 200 -> Outcome.APPLIED;
      default -> Outcome.ACCEPTED;
    };
  }

  public int deleteOlderThan(Instant cutoff) {
    return jdbc.update("DELETE FROM idempotency_keys WHERE created_at < ?", List.of(cutoff));
  }
}
