package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the adapter talks HTTP, against a loopback server that answers like Airflow does in the cases
 * a real Airflow cannot be made to produce on demand (expired tokens, outages).
 */
class AirflowHttpTest {
  @TempDir Path dags;

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger tokensIssued = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(String path, Handler handler) {
    server.createContext(
        path,
        exchange -> {
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          handler.handle(exchange);
        });
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  private AirflowSettings settings(String dialect) throws AdapterException {
    return AirflowSettings.from(
        AdapterConfig.of(
            "airflow.url",
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "airflow.dialect",
            dialect,
            "airflow.username",
            "kaapana",
            "airflow.password",
            "pw",
            "airflow.dags-folder",
            dags.toString()));
  }

  @Test
  void theDialectIsDetectedFromTheVersionEndpointThatExists() throws Exception {
    answer("/api/v2/version", e -> send(e, 404, "{\"detail\":\"Not Found\"}"));
    answer("/api/v1/version", e -> send(e, 401, "{\"title\":\"Unauthorized\"}"));
    AirflowSettings settings = settings("auto");
    assertThat(AirflowAdapterFactory.dialectOf(settings, new AirflowHttp(settings)))
        .isSameAs(AirflowDialect.AIRFLOW_2);
  }

  @Test
  void withoutEitherVersionEndpointTheUrlIsWrong() throws Exception {
    AirflowSettings settings = settings("auto");
    assertThatThrownBy(() -> AirflowAdapterFactory.dialectOf(settings, new AirflowHttp(settings)))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
              assertThat(e.getMessage()).contains("/flow");
            });
  }

  @Test
  void airflow3TokensAreFetchedOnceAndRenewedWhenAirflowRefusesThem() throws Exception {
    answer(
        "/auth/token",
        e -> send(e, 201, "{\"access_token\":\"t" + tokensIssued.incrementAndGet() + "\"}"));
    AtomicInteger versionCalls = new AtomicInteger();
    answer(
        "/api/v2/version",
        e -> {
          // The second call finds the first token expired.
          boolean expired =
              versionCalls.incrementAndGet() == 2
                  && "Bearer t1".equals(e.getRequestHeaders().getFirst("Authorization"));
          send(
              e,
              expired ? 401 : 200,
              expired ? "{\"detail\":\"expired\"}" : "{\"version\":\"3.2.2\"}");
        });
    AirflowSettings settings = settings("3");
    AirflowHttp http = new AirflowHttp(settings);
    http.authenticateAs(AirflowDialect.AIRFLOW_3);
    assertThat(http.get("/api/v2/version", Map.of()).path("version").asText()).isEqualTo("3.2.2");
    assertThat(http.get("/api/v2/version", Map.of()).path("version").asText()).isEqualTo("3.2.2");
    assertThat(tokensIssued).hasValue(2);
    assertThat(requests)
        .filteredOn(r -> r.startsWith("GET /api/v2/version"))
        .extracting(r -> r.substring(r.lastIndexOf(' ') + 1))
        .containsExactly("t1", "t1", "t2");
  }

  @Test
  void aConfiguredTokenIsSentAsIsEvenWhereAUserCouldFetchOne() throws Exception {
    answer("/auth/token", e -> send(e, 201, "{\"access_token\":\"fetched\"}"));
    answer("/api/v2/version", e -> send(e, 200, "{\"version\":\"3.2.2\"}"));
    AirflowSettings settings =
        AirflowSettings.from(
            AdapterConfig.of(
                "airflow.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "airflow.dialect", "3",
                "airflow.username", "kaapana",
                "airflow.password", "pw",
                "airflow.token", "configured",
                "airflow.dags-folder", dags.toString()));
    AirflowHttp http = new AirflowHttp(settings);
    http.authenticateAs(AirflowDialect.AIRFLOW_3);
    http.get("/api/v2/version", Map.of());
    assertThat(requests).containsExactly("GET /api/v2/version Bearer configured");
  }

  @Test
  void airflow2GetsBasicAuth() throws Exception {
    answer("/api/v1/version", e -> send(e, 200, "{\"version\":\"2.11.2\"}"));
    AirflowHttp http = new AirflowHttp(settings("2"));
    http.authenticateAs(AirflowDialect.AIRFLOW_2);
    http.get("/api/v1/version", Map.of());
    assertThat(requests).singleElement().asString().endsWith("Basic a2FhcGFuYTpwdw==");
  }

  @Test
  void failuresMapToCodesTheRuntimeActsOn() throws Exception {
    answer("/api/v1/busy", e -> send(e, 503, ""));
    answer("/api/v1/gone", e -> send(e, 404, "{\"title\":\"DAG not found\"}"));
    answer("/api/v1/bad", e -> send(e, 400, "{\"detail\":\"conf is not valid\"}"));
    answer("/api/v1/denied", e -> send(e, 403, "{\"title\":\"Forbidden\"}"));
    AirflowHttp http = new AirflowHttp(settings("2"));
    http.authenticateAs(AirflowDialect.AIRFLOW_2);
    assertThat(code(() -> http.get("/api/v1/busy", Map.of()))).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(code(() -> http.get("/api/v1/gone", Map.of()))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(() -> http.get("/api/v1/bad", Map.of()))).isEqualTo(ErrorCode.REJECTED);
    assertThat(code(() -> http.get("/api/v1/denied", Map.of()))).isEqualTo(ErrorCode.ENGINE_ERROR);
    assertThatThrownBy(() -> http.get("/api/v1/bad", Map.of()))
        .hasMessageContaining("conf is not valid");

    server.stop(0);
    assertThat(code(() -> http.get("/api/v1/busy", Map.of()))).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  private interface Call {
    void run() throws Exception;
  }

  private static ErrorCode code(Call call) {
    try {
      call.run();
    } catch (AdapterException e) {
      return e.code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no failure");
  }
}
