package io.kaapana.workflow.adapter.kubeflow;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.EngineAdapterFactory;
import io.kaapana.workflow.adapter.support.EngineFailures;
import java.util.Map;
import java.util.logging.Logger;

/** The {@code kubeflow} adapter kind: Kubeflow Pipelines through its v2beta1 REST API. */
public final class KubeflowAdapterFactory extends EngineAdapterFactory {

  private static final Logger LOG = Logger.getLogger(KubeflowAdapterFactory.class.getName());

  public KubeflowAdapterFactory() {
    super("kubeflow", KubeflowSettings.SENSITIVE, KubeflowSettings::problems);
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    KubeflowSettings settings = KubeflowSettings.from(config);
    KubeflowHttp http = new KubeflowHttp(settings);
    // Calls now: a refused token or a wrong URL stops the start, not every run; a KFP API server
    // not up yet is UNAVAILABLE, and the runtime tries again.
    boolean multiUser =
        EngineFailures.atStart(
            () -> http.expect("GET", "/healthz", Map.of(), null).path("multi_user").asBoolean());
    if (multiUser && settings.namespace() == null) {
      throw new AdapterException(
          AdapterException.ErrorCode.INVALID_CONFIG,
          "the KFP API server runs in multi-user mode: set "
              + KubeflowSettings.NAMESPACE
              + " to the profile namespace the adapter works in");
    }
    EngineFailures.atStart(
        () ->
            http.expect(
                "GET",
                "/experiments",
                settings.namespace() == null
                    ? Map.of("page_size", "1")
                    : Map.of("page_size", "1", "namespace", settings.namespace()),
                null));
    LOG.info(
        () ->
            "speaking to the KFP API server at "
                + settings.url()
                + (multiUser ? " (multi-user, namespace " + settings.namespace() + ")" : ""));
    KubeflowLogs logs = null;
    if (settings.argoUrl() != null) {
      KubeflowLogs argo = new KubeflowLogs(settings);
      String version = EngineFailures.atStart(argo::version);
      LOG.info(
          () -> "reading task logs through argo-server " + version + " at " + settings.argoUrl());
      logs = argo;
    }
    return new KubeflowAdapter(http, settings, logs);
  }
}
