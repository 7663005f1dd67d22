package io.kaapana.workflow.core.port.out;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores registered adapters. Called inside the caller's transaction. */
public interface AdapterRepository {
  Optional<Adapter> find(String id);

  /** Every registered adapter, by id. */
  List<Adapter> list();

  /** The ACTIVE adapters, by id. */
  List<Adapter> active();

  /**
   * Inserts the adapter, or refreshes what it says of itself; either way it is ACTIVE and last seen
   * {@code now}. The time of its first registration is kept.
   */
  Adapter save(AdapterRegistration registration, Instant now);

  /** Marks the adapter seen {@code now} and ACTIVE; empty when it is not registered. */
  Optional<Adapter> touch(String id, Instant now);

  /** Removes the adapter; false when it was not registered. */
  boolean delete(String id);

  /**
   * Marks LOST every ACTIVE adapter whose lease ended before {@code now}, in one statement, so that
   * concurrent sweeps never report the same adapter twice.
   *
   * @return the adapters it marked, as they were last seen
   */
  List<Adapter> markLost(Instant now);

  /** Whether any ACTIVE adapter takes runs of this engine. */
  boolean anyActiveFor(String workflowEngine);
}
