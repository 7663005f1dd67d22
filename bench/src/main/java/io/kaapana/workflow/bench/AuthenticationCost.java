package io.kaapana.workflow.bench;

import io.kaapana.workflow.service.security.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What checking tokens costs: three requests, once from a service without an identity provider and
 * once from the same service checking bearer tokens of the test realm's Keycloak (an admin's, so
 * that both see the same runs), each service freshly started and every step warmed up the same way,
 * on the same database in the same run.
 */
final class AuthenticationCost {
  private AuthenticationCost() {}

  /** One request measured both ways. */
  private record Step(String name, String script, int connections) {}

  /**
   * Get by id and a selector list at 4 connections (reads of one row and of a few), and run
   * creation at 16 (a write); the same scripts, with and without the token header.
   */
  private static List<Step> steps(UUID workflow, Path ids) {
    return List.of(
        new Step(
            "GET /v1/workflow-runs/{id}, 4 connections",
            """
            math.randomseed(os.time())
            request = function()
              local n = math.random(1, #ids)
              return wrk.format("GET", "/v1/workflow-runs/" .. ids[n], HEADERS)
            end
            ids = {}
            for line in io.lines("%s") do ids[#ids + 1] = line end
            """
                .formatted(ids),
            BenchMain.LOW_CONCURRENCY),
        new Step(
            "GET runs by selector + status (exp-42), 4 connections",
            """
            request = function()
              return wrk.format("GET",
                "/v1/workflow-runs?label_selector=kaapana.experiment%3Dexp-42&lifecycle_status=RUNNING&limit=50",
                HEADERS)
            end
            """,
            BenchMain.LOW_CONCURRENCY),
        new Step(
            "POST /v1/workflow-runs, 16 connections",
            """
            local body = '{"workflow": {"id": "%s"}, "parameters": {"series": "1.2.840.9"},'
              .. ' "labels": {"kaapana.experiment": "exp-created", "site": "s-1"}}'
            request = function()
              local headers = HEADERS or {}
              headers["Content-Type"] = "application/json"
              return wrk.format("POST", "/v1/workflow-runs", headers, body)
            end
            """
                .formatted(workflow),
            BenchMain.CONCURRENCY));
  }

  /** Measures both; {@code running} (unauthenticated) is closed first. */
  static void measure(
      Results results,
      Size size,
      Path root,
      Database database,
      Path work,
      List<String> jvmOptions,
      ServiceProcess running,
      UUID workflow)
      throws Exception {
    running.close();
    List<Step> steps = steps(workflow, work.resolve("ids.txt"));
    List<LoadTools.Load> open = new ArrayList<>();
    ServiceProcess plain =
        ServiceProcess.start(root, database, work.resolve("service-open.log"), jvmOptions);
    try {
      for (Step step : steps) {
        open.add(load(plain, step, null, size, work));
      }
    } finally {
      plain.close();
    }
    try (KeycloakServer keycloak =
        KeycloakServer.start(
            root.resolve("scripts/keycloak/keycloak-env.sh"), work.resolve("keycloak"))) {
      ServiceProcess secured =
          ServiceProcess.start(
              root,
              database,
              work.resolve("service-secured.log"),
              jvmOptions,
              Map.of("KAAPANA_AUTH_ISSUER", keycloak.issuer));
      try {
        for (int i = 0; i < steps.size(); i++) {
          // a fresh token per step: the realm's tokens live 5 minutes
          String token = keycloak.userToken("root", "root-password");
          LoadTools.Load checked = load(secured, steps.get(i), token, size, work);
          results.load(
              steps.get(i).name() + ", with a bearer token",
              checked,
              "the same without token",
              open.get(i),
              null,
              null);
          results.note(
              String.format(
                  Locale.ROOT,
                  "token checks, %s: %.0f%% of the unauthenticated throughput, p50 %+.2f ms,"
                      + " p99 %+.2f ms",
                  steps.get(i).name(),
                  100 * checked.perSecond() / open.get(i).perSecond(),
                  checked.p50Millis() - open.get(i).p50Millis(),
                  checked.p99Millis() - open.get(i).p99Millis()));
        }
      } finally {
        secured.close();
      }
    }
  }

  private static LoadTools.Load load(
      ServiceProcess service, Step step, String token, Size size, Path work) throws Exception {
    String headers = token == null ? "nil" : "{[\"Authorization\"] = \"Bearer " + token + "\"}";
    Path script =
        Files.writeString(
            work.resolve("auth-cost-" + Integer.toHexString(step.name().hashCode()) + ".lua"),
            "HEADERS = " + headers + "\n" + step.script(),
            StandardCharsets.UTF_8);
    String url = service.url() + "/";
    LoadTools.wrk(url, script, step.connections(), size.warmupSeconds(), work);
    return LoadTools.wrk(url, script, step.connections(), size.seconds(), work);
  }
}
