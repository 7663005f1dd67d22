package io.kaapana.workflow.adapter.argo;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.spi.WorkflowAdapterFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/** The {@code argo} adapter kind: Argo Workflows through argo-server's REST API. */
public final class ArgoAdapterFactory implements WorkflowAdapterFactory {

  private static final Logger LOG = Logger.getLogger(ArgoAdapterFactory.class.getName());

  @Override
  public String id() {
    return "argo";
  }

  @Override
  public Set<String> sensitiveKeys() {
    return ArgoSettings.SENSITIVE;
  }

  @Override
  public List<String> validate(AdapterConfig config) {
    return ArgoSettings.problems(config);
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    ArgoSettings settings = ArgoSettings.from(config);
    ArgoHttp http = new ArgoHttp(settings);
    // One authenticated call now: a refused token or a wrong URL stops the start, not every run.
    try {
      String version =
          http.expect("GET", "/api/v1/version", Map.of(), null).path("version").asText("?");
      LOG.info(() -> "speaking to argo-server " + version + " at " + settings.url());
    } catch (AdapterException e) {
      if (e.code() != ErrorCode.UNAVAILABLE) {
        throw new AdapterException(ErrorCode.INVALID_CONFIG, e.getMessage(), e);
      }
      // argo-server may start after the sidecar: runs wait (UNAVAILABLE) until it answers.
      LOG.warning(() -> "argo-server cannot be reached yet: " + e.getMessage());
    }
    return new ArgoAdapter(http, settings.serviceAccount(), settings.relistAfter());
  }
}
