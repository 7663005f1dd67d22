package io.kaapana.workflow.adapter.runtime;

import java.util.UUID;

/**
 * What a log line of the runtime carries besides its message, for {@link JsonLogFormatter}: the
 * adapter instance's id, and the run the logging thread works on ({@link RunWork} sets it around
 * each reconcile). java.util.logging has no MDC; this is the runtime's.
 */
final class LogFields {
  private static volatile String adapterId;
  private static final ThreadLocal<UUID> RUN = new ThreadLocal<>();

  private LogFields() {}

  /** Ends a {@link #run} scope: the thread's previous run, if any, is current again. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  static void adapter(String id) {
    adapterId = id;
  }

  static String adapterId() {
    return adapterId;
  }

  /** The run the calling thread works on until the scope is closed. */
  static Scope run(UUID runId) {
    UUID previous = RUN.get();
    RUN.set(runId);
    return () -> {
      if (previous == null) {
        RUN.remove();
      } else {
        RUN.set(previous);
      }
    };
  }

  /** The calling thread's run, or null. */
  static UUID runId() {
    return RUN.get();
  }
}
