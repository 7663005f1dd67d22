package io.kaapana.workflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer tokens: the client signs every request, renews a client-credentials token before it
 * expires and once after a 401, and never shows the secret. An identity provider's discovery and
 * token endpoint and the API answer on a loopback server as they would (the same grant against a
 * real Keycloak is in the security tests).
 */
class AccessTokensTest {
  private HttpServer server;
  private URI base;
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicReference<String> secretExpected = new AtomicReference<>("s3cret");

  /** The one token the API accepts now. */
  private final AtomicReference<String> accepted = new AtomicReference<>("t1");

  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    server.createContext(
        "/realm/.well-known/openid-configuration",
        e -> send(e, 200, "{\"token_endpoint\":\"" + base + "/realm/token\"}"));
    server.createContext("/realm/token", this::token);
    server.createContext("/v1/workflows", this::api);
    server.createContext("/v1/events", this::events);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form = new HashMap<>();
    for (String pair :
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    if (!"client_credentials".equals(form.get("grant_type"))
        || !"adapter".equals(form.get("client_id"))
        || !secretExpected.get().equals(form.get("client_secret"))) {
      send(
          exchange,
          401,
          "{\"error\":\"unauthorized_client\",\"error_description\":\"bad\\u0007news\"}");
      return;
    }
    send(
        exchange,
        200,
        "{\"access_token\":\"t" + tokensIssued.incrementAndGet() + "\",\"expires_in\":60}");
  }

  /** Records the token and answers 401 as the service does when it is not the accepted one. */
  private boolean refused(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    authorizations.add(String.valueOf(authorization));
    if (("Bearer " + accepted.get()).equals(authorization)) {
      return false;
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    send(
        exchange,
        401,
        "{\"type\":\"urn:kaapana:workflow-api:problem:unauthorized\",\"title\":\"t\","
            + "\"status\":401,\"code\":\"unauthorized\",\"detail\":\"a token is required\"}");
    return true;
  }

  private void api(HttpExchange exchange) throws IOException {
    if (!refused(exchange)) {
      send(exchange, 200, "{\"items\":[],\"next_page_token\":null}");
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    if (refused(exchange)) {
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(
          ("retry: 50\n\nid: 7\nevent: workflow_run.created\n"
                  + "data: {\"seq\":7,\"type\":\"workflow_run.created\"}\n\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private WorkflowApiClient client(AccessTokens tokens) {
    return WorkflowApiClient.builder(base).accessTokens(tokens).build();
  }

  private ClientCredentials credentials(Clock clock) {
    return new ClientCredentials(
        HttpClient.newHttpClient(),
        URI.create(base + "/realm/"),
        "adapter",
        secretExpected::get,
        clock);
  }

  @Test
  void aClientCredentialsTokenIsFetchedOnceAndSentWithEveryRequest() {
    WorkflowApiClient api = client(credentials(Clock.systemUTC()));
    api.workflows().list(Query.workflows());
    api.workflows().list(Query.workflows());
    assertThat(tokensIssued).hasValue(1);
    assertThat(authorizations).containsExactly("Bearer t1", "Bearer t1");
  }

  @Test
  void aRefusedTokenIsRenewedOnceAndTheRequestSentAgain() {
    WorkflowApiClient api = client(credentials(Clock.systemUTC()));
    api.workflows().list(Query.workflows());
    accepted.set("t2"); // the provider revoked t1
    api.workflows().list(Query.workflows());
    assertThat(authorizations).containsExactly("Bearer t1", "Bearer t1", "Bearer t2");

    accepted.set("never");
    assertThatThrownBy(() -> api.workflows().list(Query.workflows()))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(tokensIssued).as("one renewal per request, not a loop").hasValue(3);
  }

  @Test
  void aTokenIsRenewedBeforeItExpires() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    ClientCredentials tokens = credentials(clock);
    assertThat(tokens.current()).isEqualTo("t1");
    now.set(now.get().plus(Duration.ofSeconds(39))); // a 60 s token is kept for 40 s
    assertThat(tokens.current()).isEqualTo("t1");
    now.set(now.get().plus(Duration.ofSeconds(2)));
    assertThat(tokens.current()).isEqualTo("t2");
  }

  @Test
  void aRotatedSecretIsReadAtTheNextFetch() {
    ClientCredentials tokens = credentials(Clock.systemUTC());
    assertThat(tokens.current()).isEqualTo("t1");
    secretExpected.set("rotated");
    assertThat(tokens.refresh("t1")).isTrue();
    assertThat(tokens.current()).isEqualTo("t2");
  }

  @Test
  void aRefusedClientIsNamedWithTheProvidersErrorButNeverTheSecret() {
    ClientCredentials tokens =
        new ClientCredentials(
            HttpClient.newHttpClient(),
            URI.create(base + "/realm"),
            "adapter",
            () -> "wrong-secret-value",
            Clock.systemUTC());
    assertThatThrownBy(tokens::current)
        .isInstanceOf(WorkflowApiClientException.class)
        .hasMessageContaining("refused client adapter")
        .hasMessageContaining("HTTP 401: unauthorized_client bad?news")
        .hasMessageNotContaining("wrong-secret-value");
    assertThat(tokens.toString()).doesNotContain("secret");
  }

  @Test
  void aFixedTokenIsSentAndA401IsTheCallersToHandle() {
    WorkflowApiClient api = client(AccessTokens.fixed("t1"));
    api.workflows().list(Query.workflows());
    accepted.set("t2");
    assertThatThrownBy(() -> api.workflows().list(Query.workflows()))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(authorizations).containsExactly("Bearer t1", "Bearer t1");
  }

  @Test
  void aStreamRenewsARefusedTokenOnceAndThenEndsOnASecondRefusal() throws Exception {
    WorkflowApiClient api = client(credentials(Clock.systemUTC()));
    accepted.set("t2"); // t1, fetched first, is refused
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (Subscription events = api.events().subscribe(Query.events(), 0, e -> seen.add(e.seq()))) {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertThat(seen).first().isEqualTo(7L);
    assertThat(authorizations).startsWith("Bearer t1", "Bearer t2");

    accepted.set("never");
    authorizations.clear();
    Subscription refused = api.events().subscribe(Query.events(), 0, e -> {});
    assertThatThrownBy(() -> refused.done().get(10, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(ProblemException.class);
    assertThat(authorizations).as("one renewal, no loop").hasSize(2);
    refused.close();
  }
}
