package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.DomainEvent;
import java.util.List;

/**
 * Appends events to the history in the caller's transaction. Sequence numbers must become visible
 * in order, so a reader that resumes after {@code seq} never misses an earlier one.
 */
public interface EventStore {
  void append(List<DomainEvent> events);
}
