package io.kaapana.workflow.adapter.argo;

import static io.kaapana.workflow.adapter.argo.ArgoAdapterContractTest.revision;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.tck.WorkflowAdapterContractTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The adapter TCK against a real argo-server, controller and Kubernetes API ({@link RealArgo}),
 * with the sample templates the stub runs. kwok plays the pods: the templates' labels say which pod
 * fails once or runs until stopped, and every container's log is the same simulated lines.
 */
class RealArgoAdapterContractTest extends WorkflowAdapterContractTest {

  @Override
  protected String factoryId() {
    return "argo";
  }

  @Override
  protected Duration settleTimeout() {
    return Duration.ofSeconds(90);
  }

  @Override
  protected AdapterConfig config(Path workDirectory) {
    return new AdapterConfig(RealArgo.shared().adapterConfig());
  }

  @Override
  protected Samples samples(Path workDirectory) {
    return new Samples(
        revision("three-tasks"),
        List.of("fetch", "convert", "report"),
        RealArgo.FIRST_LOG_LINE,
        revision("fails-once"),
        Map.of("marker", workDirectory.resolve("segment-failed-once").toString()),
        "segment",
        revision("sleeps"),
        "wait",
        RealArgo.LAST_LOG_LINE,
        revision("undefined-template"));
  }
}
