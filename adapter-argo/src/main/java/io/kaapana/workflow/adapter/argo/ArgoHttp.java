package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.support.EngineAuth;
import io.kaapana.workflow.adapter.support.EngineClient;
import io.kaapana.workflow.adapter.support.EngineClient.Answer;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * argo-server on the engine toolkit's {@link EngineClient}: what is Argo's own is the namespace,
 * the bearer token of a service account (its mounted file read again after a 401) and
 * grpc-gateway's {@code message} as the explanation of a failure.
 */
final class ArgoHttp {

  static final ObjectMapper JSON = EngineClient.JSON;

  private final ArgoSettings settings;
  private final EngineClient client;

  ArgoHttp(ArgoSettings settings) throws AdapterException {
    this.settings = settings;
    this.client =
        EngineClient.builder("argo-server", settings.url())
            .connectTimeout(settings.connectTimeout())
            .requestTimeout(settings.requestTimeout())
            .tls(settings.tls().context())
            .auth(
                settings.tokenSecret() == null
                    ? EngineAuth.none()
                    : EngineAuth.bearer(settings.tokenSecret()))
            .explanation(ArgoHttp::message)
            .configurationHint("check the token and the RBAC of its service account")
            .build();
  }

  String namespace() {
    return settings.namespace();
  }

  Duration requestTimeout() {
    return settings.requestTimeout();
  }

  /** A plain-text answer (an artifact); a non-2xx status is a failure as for JSON calls. */
  String text(String path) throws AdapterException {
    return client.text(path, Map.of());
  }

  Answer send(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return client.send(method, path, query, body);
  }

  JsonNode expect(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return client.expect(method, path, query, body);
  }

  /**
   * Reads a stream of JSON lines ({@code {"result": …}}) until {@code stop} says so, the stream
   * ends, or {@code maxTime} has passed.
   */
  void stream(String path, Map<String, String> query, Duration maxTime, Predicate<JsonNode> stop)
      throws AdapterException {
    client.lines(path, query, maxTime, body -> {}, stop);
  }

  /**
   * As above; {@code opened} gets the stream's body once argo-server has accepted it: closing it
   * from another thread ends the stream.
   */
  void stream(
      String path,
      Map<String, String> query,
      Duration maxTime,
      Consumer<Closeable> opened,
      Predicate<JsonNode> stop)
      throws AdapterException {
    client.lines(path, query, maxTime, opened, stop);
  }

  AdapterException failure(String what, Answer answer) {
    return client.failure(what, answer);
  }

  /**
   * grpc-gateway's {@code message} (under {@code error} when a stream was refused before it
   * started), else the status.
   */
  static String message(Answer answer) {
    JsonNode body = answer.body();
    if (body != null && body.path("message").isTextual()) {
      return body.path("message").asText();
    }
    if (body != null && body.path("error").path("message").isTextual()) {
      return body.path("error").path("message").asText();
    }
    return "HTTP " + answer.status();
  }
}
