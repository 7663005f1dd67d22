package io.kaapana.workflow.adapter.spi.tck;

import io.kaapana.workflow.adapter.spi.AdapterContext;
import java.nio.file.Path;
import java.time.Clock;

/** An {@link AdapterContext} for adapter tests: a fixed instance id, a data directory, UTC. */
public final class TestAdapterContext implements AdapterContext {
  private final String instanceId;
  private final Path data;

  public TestAdapterContext(String instanceId, Path data) {
    this.instanceId = instanceId;
    this.data = data;
  }

  @Override
  public String instanceId() {
    return instanceId;
  }

  @Override
  public Path dataDirectory() {
    return data;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public void runChanged(String runId) {
    // a hint only: tests observe on their own
  }
}
