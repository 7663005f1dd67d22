package io.kaapana.workflow.quickstart;

import io.kaapana.workflow.adapter.local.LocalAdapterFactory;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.Capability;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test fixture: the local engine behind an engine outage. Its first two submits of every run fail
 * as {@code UNAVAILABLE}, as an unreachable Airflow would, so the end-to-end test can watch the
 * runtime back off and the run say why it waits.
 */
public final class UnreachableAtFirstAdapterFactory implements WorkflowAdapterFactory {
  private final LocalAdapterFactory local = new LocalAdapterFactory();

  @Override
  public String id() {
    return "unreachable-at-first";
  }

  @Override
  public String workflowEngine() {
    return "local";
  }

  @Override
  public List<String> validate(AdapterConfig config) {
    return List.of();
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    WorkflowAdapter engine =
        local.create(AdapterConfig.of("local.allow-commands", "true"), context);
    Map<String, AtomicInteger> submits = new ConcurrentHashMap<>();
    return new WorkflowAdapter() {
      @Override
      public Set<Capability> capabilities() {
        return engine.capabilities();
      }

      @Override
      public Deployment deploy(RevisionSpec revision) throws AdapterException {
        return engine.deploy(revision);
      }

      @Override
      public String submit(RunSpec run) throws AdapterException {
        if (submits.computeIfAbsent(run.runId(), id -> new AtomicInteger()).incrementAndGet()
            <= 2) {
          throw new AdapterException(
              AdapterException.ErrorCode.UNAVAILABLE, "connection refused (simulated outage)");
        }
        return engine.submit(run);
      }

      @Override
      public RunObservation observe(RunRef run) throws AdapterException {
        return engine.observe(run);
      }

      @Override
      public void close() {
        engine.close();
      }
    };
  }
}
