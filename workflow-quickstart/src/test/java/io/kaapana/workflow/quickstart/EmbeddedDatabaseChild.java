package io.kaapana.workflow.quickstart;

import java.nio.file.Path;

/** A process that starts the embedded database as the quick start does, then waits to be killed. */
public final class EmbeddedDatabaseChild {
  private EmbeddedDatabaseChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase.Started started = EmbeddedDatabase.start(Path.of(args[0]));
    System.out.println("ready " + started.postgres().getPort());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
