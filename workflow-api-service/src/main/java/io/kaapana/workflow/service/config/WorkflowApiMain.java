package io.kaapana.workflow.service.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: brings up the embedded database first when no external one is configured. */
@QuarkusMain
public final class WorkflowApiMain {
  private WorkflowApiMain() {}

  public static void main(String... args) {
    EmbeddedDatabase.startIfNoUrlConfigured();
    Quarkus.run(args);
  }
}
