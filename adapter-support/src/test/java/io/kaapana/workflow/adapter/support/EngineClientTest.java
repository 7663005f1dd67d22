package io.kaapana.workflow.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine toolkit's client against a loopback server that answers as engines do. */
class EngineClientTest {
  @TempDir Path dir;

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void answer(String path, Handler handler) {
    server.createContext(
        path,
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          handler.handle(exchange);
        });
  }

  private static void send(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (type != null) {
      exchange.getResponseHeaders().set("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Test
  void aTokenFileIsReadAgainAfterA401AndTheRequestRetriedOnce() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "old\n");
    answer(
        "/api/thing",
        e -> {
          boolean current = "Bearer new".equals(e.getRequestHeaders().getFirst("Authorization"));
          send(e, current ? 200 : 401, "application/json", current ? "{\"ok\":true}" : "{}");
        });
    EngineClient client =
        EngineClient.builder("engine", url()).auth(EngineAuth.bearer(Secret.file(token))).build();
    // refused, the file read again (unchanged), refused once more: the answer is the 401
    assertThat(client.send("GET", "/api/thing", Map.of(), null).status()).isEqualTo(401);
    Files.writeString(token, "new\n"); // the kubelet rotated it
    assertThat(client.expect("GET", "/api/thing", Map.of(), null).path("ok").asBoolean()).isTrue();
    assertThat(authorizations).containsExactly("Bearer old", "Bearer old", "Bearer new");
  }

  @Test
  void anInlineTokenIsNotRetriedAfterA401() throws Exception {
    answer("/api/thing", e -> send(e, 401, "application/json", "{\"message\":\"expired\"}"));
    EngineClient client =
        EngineClient.builder("engine", url())
            .auth(EngineAuth.bearer(Secret.inline("fixed")))
            .configurationHint("check the token")
            .build();
    assertThatThrownBy(() -> client.expect("GET", "/api/thing", Map.of(), null))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_ERROR);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "GET /api/thing answered 401: {\"message\":\"expired\"} (check the token)");
            });
    assertThat(authorizations).containsExactly("Bearer fixed");
  }

  @Test
  void aTokenEndpointIsAskedOnceAndAgainAfterA401() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    answer(
        "/api/thing",
        e -> {
          boolean expired =
              calls.incrementAndGet() == 3
                  && "Bearer t1".equals(e.getRequestHeaders().getFirst("Authorization"));
          send(e, expired ? 401 : 200, "application/json", "{}");
        });
    EngineClient client =
        EngineClient.builder("engine", url())
            .auth(EngineAuth.tokenEndpoint(() -> "t" + issued.incrementAndGet()))
            .build();
    for (int i = 0; i < 3; i++) {
      client.expect("GET", "/api/thing", Map.of(), null);
    }
    assertThat(issued).hasValue(2);
    assertThat(authorizations).containsExactly("Bearer t1", "Bearer t1", "Bearer t1", "Bearer t2");
  }

  @Test
  void basicAuthenticationSendsTheCurrentPassword() throws Exception {
    answer("/api/thing", e -> send(e, 200, "application/json", "{}"));
    EngineClient client =
        EngineClient.builder("engine", url())
            .auth(EngineAuth.basic("kaapana", Secret.inline("pw")))
            .build();
    client.expect("GET", "/api/thing", Map.of(), null);
    assertThat(authorizations).containsExactly("Basic a2FhcGFuYTpwdw==");
  }

  @Test
  void statusesMapToTheCodesTheRuntimeActsOnAndAnUnreachableEngineIsUnavailable() throws Exception {
    answer("/busy", e -> send(e, 503, "text/html", "<h1>maintenance</h1>"));
    answer("/gone", e -> send(e, 404, "application/json", "{\"message\":\"not found\"}"));
    answer("/bad", e -> send(e, 422, "application/json", "{\"message\":\"bad spec\"}"));
    EngineClient client =
        EngineClient.builder("engine", url())
            .explanation(a -> a.body() == null ? "" : a.body().path("message").asText())
            .build();
    assertThat(code(() -> client.expect("GET", "/busy", Map.of(), null)))
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(code(() -> client.expect("GET", "/gone", Map.of(), null)))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(
            () -> client.expect("POST", "/bad", Map.of(), EngineClient.JSON.createObjectNode()))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.REJECTED);
              assertThat(e.getMessage()).isEqualTo("POST /bad answered 422: bad spec");
            });
    server.stop(0);
    assertThatThrownBy(() -> client.expect("GET", "/busy", Map.of(), null))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
              assertThat(e.getMessage()).startsWith("engine at " + url() + " cannot be reached");
            });
  }

  @Test
  void jsonLinesAreReadUntilTheCallerStopsAndAPageThatIsNotJsonIsNoBody() throws Exception {
    answer(
        "/stream",
        e ->
            send(
                e,
                200,
                "application/json",
                "{\"result\":{\"n\":1}}\n\ndata: {\"result\":{\"n\":2}}\nnot json\n{\"result\":{\"n\":3}}\n"));
    answer("/html", e -> send(e, 502, "text/html", "{looks like json but is a page}"));
    EngineClient client = EngineClient.builder("engine", url()).build();
    List<Integer> seen = new ArrayList<>();
    client.lines(
        "/stream",
        Map.of(),
        Duration.ofSeconds(5),
        body -> {},
        line -> {
          seen.add(line.path("result").path("n").asInt());
          return seen.size() == 2;
        });
    assertThat(seen).containsExactly(1, 2);
    EngineClient.Answer page = client.send("GET", "/html", Map.of(), null);
    assertThat(page.body()).isNull();
    assertThat(page.text()).isEqualTo("{looks like json but is a page}");
  }

  @Test
  void anAnswerOrALineBeyondTheBoundIsAFailureNotABuffer() throws Exception {
    answer("/big", e -> send(e, 200, "application/json", "{\"x\":\"" + "a".repeat(200) + "\"}"));
    answer(
        "/stream",
        e -> send(e, 200, "application/json", "{\"n\":1}\n{\"x\":\"" + "a".repeat(200) + "\"}\n"));
    EngineClient client = EngineClient.builder("engine", url()).maxBodyBytes(100).build();
    assertThatThrownBy(() -> client.send("GET", "/big", Map.of(), null))
        .isInstanceOfSatisfying(
            AdapterException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.ENGINE_ERROR);
              assertThat(e.getMessage()).contains("larger than 100 bytes");
            });
    List<Integer> seen = new ArrayList<>();
    assertThatThrownBy(
            () ->
                client.lines(
                    "/stream",
                    Map.of(),
                    Duration.ofSeconds(5),
                    body -> {},
                    line -> seen.add(line.path("n").asInt()) && false))
        .hasMessageContaining("larger than 100 bytes");
    assertThat(seen).containsExactly(1);
  }

  @Test
  void theRecorderSeesExchangesButNeverTheOneCarryingCredentials() throws Exception {
    answer("/auth/token", e -> send(e, 200, "application/json", "{\"access_token\":\"t\"}"));
    answer("/api/thing", e -> send(e, 200, "application/json", "{\"n\":1}"));
    Path log = dir.resolve("exchanges.jsonl");
    EngineClient client =
        EngineClient.builder("engine", url()).recorder(EngineClient.appendingTo(log)).build();
    JsonNode credentials = EngineClient.JSON.createObjectNode().put("password", "secret");
    client.sendCredentials("POST", "/auth/token", credentials);
    client.send("GET", "/api/thing", Map.of("a", "b"), null);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    EngineClient.Exchange exchange =
        EngineClient.JSON.readValue(lines.get(0), EngineClient.Exchange.class);
    assertThat(exchange.path()).isEqualTo("/api/thing");
    assertThat(exchange.query()).containsEntry("a", "b");
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("{\"n\":1}");
    assertThat(Files.readString(log)).doesNotContain("secret");
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

  @Test
  void anUploadIsOneMultipartFilePartWithTheFixedHeadersAndItsAnswerIsRead() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    answer(
        "/upload",
        exchange -> {
          seen.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          seen.add(exchange.getRequestHeaders().getFirst("kubeflow-userid"));
          seen.add(exchange.getRequestURI().getRawQuery());
          seen.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          send(exchange, 200, "application/json", "{\"pipeline_version_id\":\"v1\"}");
        });
    List<EngineClient.Exchange> recorded = new CopyOnWriteArrayList<>();
    EngineClient client =
        EngineClient.builder("kfp", url())
            .auth(EngineAuth.bearer(Secret.inline("t")))
            .header("kubeflow-userid", "ada@example.org")
            .recorder(recorded::add)
            .build();

    EngineClient.Answer answer =
        client.upload(
            "/upload",
            Map.of("name", "a b"),
            "uploadfile",
            "p.yaml",
            "root: {}\n".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.body().path("pipeline_version_id").asText()).isEqualTo("v1");
    assertThat(seen.get(0)).startsWith("multipart/form-data; boundary=");
    String boundary = seen.get(0).substring(seen.get(0).indexOf('=') + 1);
    assertThat(seen.get(1)).isEqualTo("ada@example.org");
    assertThat(seen.get(2)).isEqualTo("name=a+b");
    assertThat(seen.get(3))
        .isEqualTo(
            "--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\"p.yaml\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\nroot: {}\n\r\n--"
                + boundary
                + "--\r\n");
    assertThat(authorizations).containsExactly("Bearer t");
    assertThat(recorded)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.requestBody().toString())
                    .isEqualTo("{\"multipart\":\"uploadfile\",\"filename\":\"p.yaml\"}"));
  }

  @Test
  void aFixedHeaderMayNotBreakLines() {
    assertThatThrownBy(() -> EngineClient.builder("kfp", url()).header("x-user", "a\r\nEvil: 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
