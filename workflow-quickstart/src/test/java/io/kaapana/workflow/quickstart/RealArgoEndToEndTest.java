package io.kaapana.workflow.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.argo.RealArgo;
import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Argo scenarios against a real argo-server, workflow controller and Kubernetes API ({@link
 * RealArgo}; kwok plays the pods), with a service-account token that has exactly the documented
 * Role. kwok runs no process: every task's log is the same simulated lines. What kwok cannot play
 * (task processes, archived logs of collected pods) is left to {@link ArgoEndToEndTest}.
 */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class RealArgoEndToEndTest extends ArgoEndToEndScenarios {

  @Override
  Duration settle() {
    return Duration.ofSeconds(90);
  }

  @Override
  Map<String, String> argoSettings() {
    RealArgo argo = RealArgo.shared();
    return Map.of(
        "KAAPANA_ARGO_URL", argo.url(),
        "KAAPANA_ARGO_NAMESPACE", argo.namespace(),
        "KAAPANA_ARGO_TOKEN_FILE", argo.tokenFile().toString());
  }

  @Override
  List<String> logOf(String sample, String task, int attempt) {
    return RealArgo.LOG_LINES;
  }

  @Override
  JsonNode argoWorkflow(String name) throws Exception {
    return RealArgo.shared().workflow(name);
  }

  @Override
  boolean templateExists(String name) throws Exception {
    return RealArgo.shared().templateExists(name);
  }
}
