package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.List;

/** An adapter's verdict on a revision. */
public record Validation(
    ValidationStatus status, List<String> messages, Instant validatedAt, String adapterId) {
  public Validation {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }

  public static Validation pending() {
    return new Validation(ValidationStatus.PENDING, List.of(), null, null);
  }
}
