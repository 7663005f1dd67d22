package io.kaapana.workflow.bench;

import io.kaapana.workflow.service.security.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What checking tokens costs: get by id, once from a service without an identity provider and once
 * from the same service checking bearer tokens of the test realm's Keycloak (signature, issuer,
 * audience, expiry, roles), each freshly started and warmed up the same way, on the same database
 * in the same run.
 */
final class AuthenticationCost {
  private AuthenticationCost() {}

  /** Measures both; {@code running} (unauthenticated) is closed first. */
  static void measure(
      Results results,
      Size size,
      Path root,
      Database database,
      Path work,
      List<String> jvmOptions,
      ServiceProcess running)
      throws Exception {
    running.close();
    LoadTools.Load open;
    ServiceProcess plain =
        ServiceProcess.start(root, database, work.resolve("service-open.log"), jvmOptions);
    try {
      open = getById(plain, null, size, work);
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
        LoadTools.Load checked =
            getById(secured, keycloak.userToken("root", "root-password"), size, work);
        results.load(
            "GET /v1/workflow-runs/{id} with a bearer token (4 connections)",
            checked,
            "the same without token",
            open,
            null,
            null);
        results.note(
            String.format(
                Locale.ROOT,
                "token checks: get by id at %.0f%% of the unauthenticated throughput, p50 %+.2f ms,"
                    + " p99 %+.2f ms (both services started fresh, same warm-up)",
                100 * checked.perSecond() / open.perSecond(),
                checked.p50Millis() - open.p50Millis(),
                checked.p99Millis() - open.p99Millis()));
      } finally {
        secured.close();
      }
    }
  }

  private static LoadTools.Load getById(ServiceProcess service, String token, Size size, Path work)
      throws Exception {
    String headers = token == null ? "nil" : "{[\"Authorization\"] = \"Bearer " + token + "\"}";
    Path script =
        Files.writeString(
            work.resolve(token == null ? "get-open.lua" : "get-token.lua"),
            """
            math.randomseed(os.time())
            request = function()
              local n = math.random(1, #ids)
              return wrk.format("GET", "/v1/workflow-runs/" .. ids[n], %s)
            end
            ids = {}
            for line in io.lines("%s") do ids[#ids + 1] = line end
            """
                .formatted(headers, work.resolve("ids.txt")),
            StandardCharsets.UTF_8);
    String url = service.url() + "/";
    LoadTools.wrk(url, script, BenchMain.LOW_CONCURRENCY, size.warmupSeconds(), work);
    return LoadTools.wrk(url, script, BenchMain.LOW_CONCURRENCY, size.seconds(), work);
  }
}
