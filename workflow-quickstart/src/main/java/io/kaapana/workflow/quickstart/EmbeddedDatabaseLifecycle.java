package io.kaapana.workflow.quickstart;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Tells the embedded database when the application serves and when it has stopped: its JVM shutdown
 * hook waits for the stop, so it outlives the last request (see {@link EmbeddedDatabase}).
 */
@ApplicationScoped
class EmbeddedDatabaseLifecycle {

  void started(@Observes StartupEvent event) {
    EmbeddedDatabase.applicationStarted();
  }

  /** The last shutdown observer: by now the HTTP server and the scheduler have stopped. */
  void stopped(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
    EmbeddedDatabase.applicationStopped();
  }
}
