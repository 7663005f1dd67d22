package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.support.EngineFailures;
import io.kaapana.workflow.adapter.support.EngineHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * HTTP to one Airflow web/API server: authentication (basic for Airflow 2, a JWT from {@code
 * /auth/token} refreshed on 401 for Airflow 3), JSON, and one mapping of failures to {@link
 * AdapterException} codes.
 */
final class AirflowHttp {

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One request and its answer, for the contract tests that check them against the OpenAPI. */
  record Exchange(
      String method,
      String path,
      Map<String, String> query,
      JsonNode requestBody,
      int status,
      String contentType,
      String responseBody) {}

  /** The answer to a request the caller chose to look at (status and JSON body). */
  record Answer(int status, JsonNode body, String text) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final AirflowSettings settings;
  private final HttpClient client;
  private volatile Consumer<Exchange> listener = exchange -> {};
  private volatile String bearer;
  private volatile boolean useBearer;

  AirflowHttp(AirflowSettings settings) throws AdapterException {
    this.settings = settings;
    this.client =
        EngineHttp.client(
            settings.connectTimeout(),
            settings.trustStore() == null
                ? null
                : EngineHttp.trustingStore(
                    settings.trustStore(),
                    settings.trustStoreType(),
                    settings.trustStorePassword()));
    this.bearer = settings.token();
    if (settings.exchangeLog() != null) {
      this.listener = new ExchangeLog(settings.exchangeLog());
    }
  }

  /**
   * Appends every exchange with the REST API as one JSON line (for troubleshooting and the contract
   * tests). Credentials never pass through it: the token request is left out.
   */
  private static final class ExchangeLog implements Consumer<Exchange> {
    private final java.nio.file.Path file;

    ExchangeLog(java.nio.file.Path file) {
      this.file = file;
    }

    @Override
    public synchronized void accept(Exchange exchange) {
      if (exchange.path().equals("/auth/token")) {
        return;
      }
      try {
        Files.writeString(
            file,
            JSON.writeValueAsString(exchange) + "\n",
            StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        // troubleshooting aid only: never fail a call because of it
      }
    }
  }

  void onExchange(Consumer<Exchange> listener) {
    this.listener = listener;
  }

  /** Airflow 3 speaks bearer tokens; Airflow 2 basic auth (unless a token is configured). */
  void useBearerTokens(boolean useBearer) {
    this.useBearer = useBearer;
  }

  URI url() {
    return settings.url();
  }

  /** A GET whose status the caller inspects (404 on a version probe is an answer, not a fault). */
  Answer probe(String path) throws AdapterException {
    return send("GET", path, Map.of(), null, "application/json", false);
  }

  JsonNode get(String path, Map<String, String> query) throws AdapterException {
    return expectOk(send("GET", path, query, null, "application/json", true), "GET", path);
  }

  /** A GET whose status the caller inspects before {@link #expectOk}. */
  /** The object at the path, or null when Airflow answers 404. */
  JsonNode find(String path) throws AdapterException {
    Answer answer = send("GET", path, Map.of(), null, "application/json", true);
    return answer.status() == 404 ? null : expectOk(answer, "GET", path);
  }

  Answer getAnswer(String path, Map<String, String> query, String accept) throws AdapterException {
    return send("GET", path, query, null, accept, true);
  }

  JsonNode post(String path, Map<String, String> query, JsonNode body) throws AdapterException {
    return expectOk(send("POST", path, query, body, "application/json", true), "POST", path);
  }

  /** A POST whose non-2xx status the caller handles (409 on a trigger means "exists"). */
  Answer postAnswer(String path, JsonNode body) throws AdapterException {
    return send("POST", path, Map.of(), body, "application/json", true);
  }

  JsonNode patch(String path, Map<String, String> query, JsonNode body) throws AdapterException {
    return expectOk(send("PATCH", path, query, body, "application/json", true), "PATCH", path);
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer send(
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      String accept,
      boolean authenticate)
      throws AdapterException {
    Answer answer = sendOnce(method, path, query, body, accept, authenticate);
    if (answer.status() == 401 && useBearer && authenticate) {
      bearer = null; // expired or revoked: fetch a new one once
      answer = sendOnce(method, path, query, body, accept, true);
    }
    return answer;
  }

  private Answer sendOnce(
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      String accept,
      boolean authenticate)
      throws AdapterException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(EngineHttp.uri(settings.url(), path, query))
            .timeout(settings.requestTimeout())
            .header("Accept", accept);
    if (authenticate) {
      request.header("Authorization", authorization());
    }
    String payload = null;
    if (body != null) {
      payload = write(body);
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw EngineFailures.unreachable("Airflow", settings.url(), e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted("Airflow", e);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    listener.accept(
        new Exchange(
            method,
            path,
            new LinkedHashMap<>(query),
            body,
            response.statusCode(),
            contentType,
            response.body()));
    JsonNode json = null;
    if (contentType.contains("json") && !response.body().isEmpty()) {
      try {
        json = JSON.readTree(response.body());
      } catch (JsonProcessingException e) {
        json = null; // a proxy's error page, say: the status decides
      }
    }
    return new Answer(response.statusCode(), json, response.body());
  }

  JsonNode expectOk(Answer answer, String method, String path) throws AdapterException {
    if (answer.ok()) {
      return answer.body() == null ? JSON.createObjectNode() : answer.body();
    }
    throw EngineFailures.answered(
        method + " " + path,
        answer.status(),
        detail(answer).replaceFirst("^: ", ""),
        "check the adapter's Airflow credentials and the user's permissions");
  }

  /** Airflow's own explanation: {@code detail} of a problem (2.x) or of FastAPI (3.x). */
  static String detail(Answer answer) {
    JsonNode body = answer.body();
    if (body == null) {
      String text = answer.text() == null ? "" : answer.text().strip();
      return text.isEmpty() ? "" : ": " + abbreviate(text);
    }
    JsonNode detail = body.path("detail");
    if (detail.isTextual()) {
      return ": " + abbreviate(detail.asText());
    }
    if (!detail.isMissingNode() && !detail.isNull()) {
      return ": " + abbreviate(detail.toString());
    }
    JsonNode title = body.path("title");
    return title.isTextual() ? ": " + abbreviate(title.asText()) : "";
  }

  private static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "…";
  }

  private String authorization() throws AdapterException {
    if (!useBearer && settings.token() == null) {
      String pair = settings.username() + ":" + settings.password();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    String token = bearer;
    if (token == null) {
      token = fetchToken();
      bearer = token;
    }
    return "Bearer " + token;
  }

  /** Airflow 3: every auth manager serves {@code POST /auth/token} (username and password). */
  private String fetchToken() throws AdapterException {
    if (settings.username() == null || settings.password() == null) {
      if (settings.token() != null) {
        return settings.token();
      }
      throw new AdapterException(
          ErrorCode.INVALID_CONFIG, "Airflow 3 needs a username and password, or a token");
    }
    ObjectNode credentials = object();
    credentials.put("username", settings.username());
    credentials.put("password", settings.password());
    Answer answer =
        sendOnce("POST", "/auth/token", Map.of(), credentials, "application/json", false);
    if (!answer.ok() || answer.body() == null || !answer.body().path("access_token").isTextual()) {
      throw new AdapterException(
          answer.status() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.ENGINE_ERROR,
          "Airflow refused a token for user '"
              + settings.username()
              + "': POST /auth/token answered "
              + answer.status()
              + detail(answer));
    }
    return answer.body().path("access_token").asText();
  }

  private static String write(JsonNode body) throws AdapterException {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "cannot write a request body", e);
    }
  }
}
