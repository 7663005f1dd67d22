package io.kaapana.workflow.service.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes waiting claims and the event feed in this process after a commit. Other replicas notice
 * changes by their own periodic re-query, so a missed signal only delays, never loses.
 */
@ApplicationScoped
public class ChangeSignal {
  private final Object monitor = new Object();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private long generation;

  public void signal() {
    synchronized (monitor) {
      generation++;
      monitor.notifyAll();
    }
    listeners.forEach(Runnable::run);
  }

  public long generation() {
    synchronized (monitor) {
      return generation;
    }
  }

  /** Waits until a signal newer than {@code seen} arrives or {@code millis} pass. */
  public void awaitAfter(long seen, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (monitor) {
      while (generation == seen) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        monitor.wait(left);
      }
    }
  }

  /** Runs {@code listener} (quickly, on the signalling thread) after every signal until removed. */
  public void listen(Runnable listener) {
    listeners.add(listener);
  }

  public void unlisten(Runnable listener) {
    listeners.remove(listener);
  }
}
