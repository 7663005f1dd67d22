package io.kaapana.workflow.adapter.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stops a process and everything it started. */
final class ProcessTree {
  private ProcessTree() {}

  /**
   * Signals the process and its descendants: SIGTERM, or SIGKILL when {@code force}. The
   * descendants are listed first, because a dead parent's children are re-parented and lost.
   *
   * @return the processes signalled, for a forced follow-up after a grace period
   */
  static List<ProcessHandle> signal(ProcessHandle root, boolean force) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(0, root);
    for (ProcessHandle process : all) {
      if (force) {
        process.destroyForcibly();
      } else {
        process.destroy();
      }
    }
    return all;
  }

  /** SIGKILLs whatever of {@code processes} (and their descendants) still lives. */
  static void kill(List<ProcessHandle> processes) {
    for (ProcessHandle process : processes) {
      if (process.isAlive()) {
        signal(process, true);
      }
    }
  }

  /** The process with that pid if it is still the one that started at {@code started}. */
  static Optional<ProcessHandle> find(long pid, Instant started) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> started == null || p.info().startInstant().map(started::equals).orElse(false));
  }
}
