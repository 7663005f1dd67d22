package io.kaapana.workflow.adapter.airflow;

import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterContext;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.kaapana.workflow.adapter.support.EngineAdapterFactory;
import io.kaapana.workflow.adapter.support.EngineFailures;
import java.util.logging.Logger;

/**
 * The {@code airflow} adapter kind: Apache Airflow 2.x (REST API v1) and 3.x (REST API v2), chosen
 * by {@code airflow.dialect} or detected from the server.
 */
public final class AirflowAdapterFactory extends EngineAdapterFactory {

  private static final Logger LOG = Logger.getLogger(AirflowAdapterFactory.class.getName());

  public AirflowAdapterFactory() {
    super("airflow", AirflowSettings.SENSITIVE, AirflowSettings::problems);
  }

  @Override
  public WorkflowAdapter create(AdapterConfig config, AdapterContext context)
      throws AdapterException {
    AirflowSettings settings = AirflowSettings.from(config);
    AirflowHttp http = new AirflowHttp(settings);
    AirflowDialect dialect = dialectOf(settings, http);
    http.authenticateAs(dialect);
    // One authenticated call now: wrong credentials stop the start instead of every run; an
    // Airflow not up yet is UNAVAILABLE, and the runtime tries again.
    EngineFailures.atStart(() -> http.get(dialect.api() + "/version", java.util.Map.of()));
    LOG.info(() -> "speaking " + dialect.describe() + " with " + settings.url());
    return new AirflowAdapter(settings, http, dialect, context.clock());
  }

  /** The configured dialect, or the one whose version endpoint exists on the server. */
  static AirflowDialect dialectOf(AirflowSettings settings, AirflowHttp http)
      throws AdapterException {
    switch (settings.dialect()) {
      case AIRFLOW_2:
        return AirflowDialect.AIRFLOW_2;
      case AIRFLOW_3:
        return AirflowDialect.AIRFLOW_3;
      default:
        break;
    }
    int v2 = http.probe(AirflowDialect.AIRFLOW_3.api() + "/version").status();
    if (v2 != 404) {
      return AirflowDialect.AIRFLOW_3;
    }
    int v1 = http.probe(AirflowDialect.AIRFLOW_2.api() + "/version").status();
    if (v1 != 404) {
      return AirflowDialect.AIRFLOW_2;
    }
    throw new AdapterException(
        ErrorCode.INVALID_CONFIG,
        "no Airflow REST API at "
            + settings.url()
            + ": both /api/v2/version and /api/v1/version answered 404 (check airflow.url,"
            + " including a path prefix such as /flow)");
  }
}
