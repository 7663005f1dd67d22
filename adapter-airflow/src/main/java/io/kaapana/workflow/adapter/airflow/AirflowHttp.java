package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.support.EngineAuth;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.EngineClient.Answer;
import io.kaapana.workflow.adapter.support.Secret;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One Airflow web/API server on the engine toolkit's {@link EngineClient}: what is Airflow's own is
 * how it authenticates (basic for Airflow 2, a JWT from {@code /auth/token} for Airflow 3, either
 * way a configured token instead) and how it explains a failure ({@code detail}).
 */
final class AirflowHttp {

  static final ObjectMapper JSON = EngineClient.JSON;

  private final AirflowSettings settings;
  private final EngineClient client;

  /** None until the dialect is known: the version probes need no credentials. */
  private volatile EngineAuth auth = EngineAuth.none();

  AirflowHttp(AirflowSettings settings) throws AdapterException {
    this.settings = settings;
    EngineClient.Builder builder =
        EngineClient.builder("Airflow", settings.url())
            .connectTimeout(settings.connectTimeout())
            .requestTimeout(settings.requestTimeout())
            .auth(
                new EngineAuth() {
                  @Override
                  public String authorization() throws AdapterException {
                    return auth.authorization();
                  }

                  @Override
                  public boolean refresh() {
                    return auth.refresh();
                  }
                })
            .explanation(AirflowHttp::explanation)
            .configurationHint(
                "check the adapter's Airflow credentials and the user's permissions");
    builder.tls(settings.tls().context());
    if (settings.exchangeLog() != null) {
      builder.recorder(EngineClient.appendingTo(settings.exchangeLog()));
    }
    this.client = builder.build();
  }

  /**
   * Chooses the credentials for the dialect: a configured token as a bearer token (its file read
   * again after a 401); else basic authentication (Airflow 2) or a token from {@code POST
   * /auth/token}, fetched again after a 401 (Airflow 3).
   */
  void authenticateAs(AirflowDialect dialect) {
    Secret token = settings.tokenSecret();
    Secret password = settings.passwordSecret();
    if (token != null) {
      auth = EngineAuth.bearer(token);
    } else if (dialect.bearerTokens()) {
      auth = EngineAuth.tokenEndpoint(() -> fetchToken(settings.username(), password));
    } else {
      auth = EngineAuth.basic(settings.username(), password);
    }
  }

  URI url() {
    return settings.url();
  }

  /** A GET whose status the caller inspects (404 on a version probe is an answer, not a fault). */
  Answer probe(String path) throws AdapterException {
    return client.send("GET", path, Map.of(), null);
  }

  JsonNode get(String path, Map<String, String> query) throws AdapterException {
    return client.expect("GET", path, query, null);
  }

  /** The object at the path, or null when Airflow answers 404. */
  JsonNode find(String path) throws AdapterException {
    Answer answer = client.send("GET", path, Map.of(), null);
    return answer.status() == 404 ? null : client.expectOk(answer, "GET " + path);
  }

  /** A GET whose status the caller inspects before {@link #expectOk}. */
  Answer getAnswer(String path, Map<String, String> query) throws AdapterException {
    return client.send("GET", path, query, null);
  }

  JsonNode post(String path, Map<String, String> query, JsonNode body) throws AdapterException {
    return client.expect("POST", path, query, body);
  }

  /** A POST whose non-2xx status the caller handles (409 on a trigger means "exists"). */
  Answer postAnswer(String path, JsonNode body) throws AdapterException {
    return client.send("POST", path, Map.of(), body);
  }

  JsonNode patch(String path, Map<String, String> query, JsonNode body) throws AdapterException {
    return client.expect("PATCH", path, query, body);
  }

  JsonNode expectOk(Answer answer, String method, String path) throws AdapterException {
    return client.expectOk(answer, method + " " + path);
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Airflow's own explanation after ": ", or nothing: for messages the adapter writes. */
  static String detail(Answer answer) {
    String explanation = explanation(answer);
    return explanation.isEmpty() ? "" : ": " + explanation;
  }

  /** {@code detail} of a problem (2.x) or of FastAPI (3.x), a problem's title, else the text. */
  private static String explanation(Answer answer) {
    JsonNode body = answer.body();
    if (body == null) {
      return EngineClient.bodyText(answer);
    }
    JsonNode detail = body.path("detail");
    if (detail.isTextual()) {
      return EngineClient.abbreviate(detail.asText());
    }
    if (!detail.isMissingNode() && !detail.isNull()) {
      return EngineClient.abbreviate(detail.toString());
    }
    JsonNode title = body.path("title");
    return title.isTextual() ? EngineClient.abbreviate(title.asText()) : "";
  }

  /** Airflow 3: every auth manager serves {@code POST /auth/token} (username and password). */
  private String fetchToken(String username, Secret password) throws AdapterException {
    ObjectNode credentials = object();
    credentials.put("username", username);
    credentials.put("password", password.value());
    Answer answer = client.sendCredentials("POST", "/auth/token", credentials);
    if (!answer.ok() || answer.body() == null || !answer.body().path("access_token").isTextual()) {
      throw new AdapterException(
          answer.status() >= 500 ? ErrorCode.UNAVAILABLE : ErrorCode.ENGINE_ERROR,
          "Airflow refused a token for user '"
              + username
              + "': POST /auth/token answered "
              + answer.status()
              + detail(answer));
    }
    return answer.body().path("access_token").asText();
  }

  /** Items per page of Airflow's list answers. */
  static final int PAGE = 100;

  /**
   * The first item of a paged list answer ({@code limit}/{@code offset}, {@code total_entries})
   * that matches, reading no further pages than needed; null when none does.
   */
  JsonNode findInPages(
      String path, Map<String, String> filters, String listField, Predicate<JsonNode> match)
      throws AdapterException {
    for (int offset = 0; ; offset += PAGE) {
      Map<String, String> query = new LinkedHashMap<>(filters);
      query.put("limit", String.valueOf(PAGE));
      query.put("offset", String.valueOf(offset));
      JsonNode page = get(path, query);
      JsonNode items = page.path(listField);
      for (JsonNode item : items) {
        if (match.test(item)) {
          return item;
        }
      }
      if (items.size() < PAGE || offset + PAGE >= page.path("total_entries").asInt()) {
        return null;
      }
    }
  }

  /** Every item of a paged list answer. */
  void forEachInPages(
      String path, Map<String, String> filters, String listField, Consumer<JsonNode> each)
      throws AdapterException {
    findInPages(
        path,
        filters,
        listField,
        item -> {
          each.accept(item);
          return false;
        });
  }
}
