package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.adapters.ChangeSignal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Runs a write in its own transaction, then wakes waiting claims and event streams. */
@ApplicationScoped
public class Tx {
  private final ChangeSignal signal;

  public Tx(ChangeSignal signal) {
    this.signal = signal;
  }

  public <T> T write(Supplier<T> work) {
    T result = QuarkusTransaction.requiringNew().call(work::get);
    signal.signal();
    return result;
  }
}
