package io.kaapana.workflow.adapter.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.support.EngineFailures;
import io.kaapana.workflow.adapter.support.EngineHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HTTP to argo-server: the bearer token (read again after a 401: the mounted token may have been
 * rotated), JSON bodies, newline-delimited JSON streams, and one mapping of grpc-gateway errors to
 * {@link AdapterException} codes.
 */
final class ArgoHttp {

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** An answer whose status the caller looks at. */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** grpc-gateway's {@code message}, else the status. */
    String message() {
      if (body != null && body.path("message").isTextual()) {
        return body.path("message").asText();
      }
      return "HTTP " + status;
    }
  }

  private final ArgoSettings settings;
  private final HttpClient client;

  ArgoHttp(ArgoSettings settings) throws AdapterException {
    this.settings = settings;
    this.client =
        EngineHttp.client(
            settings.connectTimeout(),
            settings.caFile() == null ? null : EngineHttp.trustingPem(settings.caFile()));
  }

  String namespace() {
    return settings.namespace();
  }

  java.time.Duration requestTimeout() {
    return settings.requestTimeout();
  }

  /** A plain-text answer (an artifact); a non-2xx status is a failure as for JSON calls. */
  String text(String path) throws AdapterException {
    HttpRequest request = request("GET", path, Map.of(), null, settings.requestTimeout()).build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw failure("GET " + path, new Answer(response.statusCode(), parse(response.body())));
      }
      return response.body();
    } catch (IOException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted("argo-server", e);
    }
  }

  Answer send(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    Answer answer = sendOnce(method, path, query, body);
    if (answer.status() == 401) {
      settings.forgetToken();
      answer = sendOnce(method, path, query, body);
    }
    return answer;
  }

  JsonNode expect(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    Answer answer = send(method, path, query, body);
    if (answer.ok()) {
      return answer.body() == null ? JSON.createObjectNode() : answer.body();
    }
    throw failure(method + " " + path, answer);
  }

  /**
   * Reads a stream of JSON lines ({@code {"result": …}}) until {@code stop} says so, the stream
   * ends, or {@code maxTime} has passed.
   */
  void stream(String path, Map<String, String> query, Duration maxTime, Predicate<JsonNode> stop)
      throws AdapterException {
    stream(path, query, maxTime, body -> {}, stop);
  }

  /**
   * As above; {@code opened} gets the stream's body once argo-server has accepted it: closing it
   * from another thread ends the stream (a blocked read does not notice an interrupt).
   */
  void stream(
      String path,
      Map<String, String> query,
      Duration maxTime,
      java.util.function.Consumer<java.io.Closeable> opened,
      Predicate<JsonNode> stop)
      throws AdapterException {
    HttpRequest request = request("GET", path, query, null, maxTime).build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted("argo-server", e);
    }
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() >= 300) {
        if (response.statusCode() == 401) {
          settings.forgetToken();
        }
        StringBuilder text = new StringBuilder();
        lines.lines().forEach(text::append);
        throw failure("GET " + path, new Answer(response.statusCode(), parse(text.toString())));
      }
      opened.accept(response.body());
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = parse(line.startsWith("data:") ? line.substring(5).strip() : line);
        if (node != null && stop.test(node)) {
          return;
        }
      }
    } catch (java.net.http.HttpTimeoutException e) {
      // the time was up: what arrived is what there is
    } catch (IOException e) {
      if (!(e.getCause() instanceof java.net.http.HttpTimeoutException)) {
        throw unavailable(e);
      }
    }
  }

  private Answer sendOnce(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    HttpRequest request = request(method, path, query, body, settings.requestTimeout()).build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted("argo-server", e);
    }
    return new Answer(response.statusCode(), parse(response.body()));
  }

  private HttpRequest.Builder request(
      String method, String path, Map<String, String> query, JsonNode body, Duration timeout)
      throws AdapterException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(EngineHttp.uri(settings.url(), path, query))
            .timeout(timeout)
            .header("Accept", "application/json");
    String token = settings.token();
    if (token != null && !token.isEmpty()) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return builder
          .header("Content-Type", "application/json")
          .method(
              method,
              HttpRequest.BodyPublishers.ofString(
                  JSON.writeValueAsString(body), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "cannot write a request body", e);
    }
  }

  static AdapterException failure(String what, Answer answer) {
    return EngineFailures.answered(
        what,
        answer.status(),
        answer.message(),
        "check the token and the RBAC of its service account");
  }

  private AdapterException unavailable(IOException e) {
    return EngineFailures.unreachable("argo-server", settings.url(), e);
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null; // a proxy's error page: the status decides
    }
  }
}
