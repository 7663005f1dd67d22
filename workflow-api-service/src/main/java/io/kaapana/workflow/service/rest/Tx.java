package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.persistence.ChangeSignal;
import io.kaapana.workflow.service.persistence.EventSequencer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs a write in its own transaction, numbers the events it committed, then wakes waiting claims
 * and event streams. The answer so waits until the write's events are readable.
 */
@ApplicationScoped
public class Tx {
  private final EventSequencer sequencer;
  private final ChangeSignal signal;

  public Tx(EventSequencer sequencer, ChangeSignal signal) {
    this.sequencer = sequencer;
    this.signal = signal;
  }

  public <T> T write(Supplier<T> work) {
    T result = QuarkusTransaction.requiringNew().call(work::get);
    sequencer.sequenceCommittedQuietly();
    signal.signal();
    return result;
  }
}
