package io.kaapana.workflow.adapter.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads an adapter starts: named (for thread dumps) and daemons (they never keep a JVM up). */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Threads named {@code <prefix>-1}, {@code <prefix>-2}, … */
  public static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
