package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.EngineAdapterFactory;
import io.kaapana.workflow.adapter.support.EngineFailures;
import java.util.Map;
import java.util.logging.Logger;

/** The {@code argo} adapter kind: Argo Workflows through argo-server's REST API. */
public final class ArgoAdapterFactory extends EngineAdapterFactory {

  private static final Logger LOG = Logger.getLogger(ArgoAdapterFactory.class.getName());

  public ArgoAdapterFactory() {
    super("argo", ArgoSettings.SENSITIVE, ArgoSettings::problems);
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    ArgoSettings settings = ArgoSettings.from(config);
    ArgoHttp http = new ArgoHttp(settings);
    // One authenticated call now: a refused token or a wrong URL stops the start, not every run;
    // an argo-server not up yet is UNAVAILABLE, and the runtime tries again.
    String version =
        EngineFailures.atStart(
            () ->
                http.expect("GET", "/api/v1/version", Map.of(), null).path("version").asText("?"));
    LOG.info(() -> "speaking to argo-server " + version + " at " + settings.url());
    return new ArgoAdapter(http, settings.serviceAccount(), settings.relistAfter());
  }
}
