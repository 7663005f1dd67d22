package io.kaapana.workflow.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kaapana.workflow.client.model.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Sends requests, maps problems to exceptions, and re-sends what is safe to re-send. */
final class HttpTransport {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // A newer service may add fields and enum values; an older client must keep working.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  final HttpClient http;
  final URI baseUri;
  final Duration requestTimeout;
  final int maxAttempts;
  final Duration initialBackoff;
  final Map<String, String> defaultHeaders;
  private final AccessTokens tokens;
  private final TraceContext traceContext;

  HttpTransport(
      HttpClient http,
      URI baseUri,
      Duration requestTimeout,
      int maxAttempts,
      Duration initialBackoff,
      Map<String, String> defaultHeaders,
      AccessTokens tokens,
      TraceContext traceContext) {
    this.http = http;
    String base = baseUri.toString();
    this.baseUri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.requestTimeout = requestTimeout;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.defaultHeaders = Map.copyOf(defaultHeaders);
    this.tokens = tokens;
    this.traceContext = traceContext;
  }

  /** One call. {@code retrySafe}: the request may be sent again without a second effect. */
  record Call(
      String method,
      String path,
      Map<String, String> query,
      Object body,
      String contentType,
      Map<String, String> headers,
      boolean retrySafe,
      Duration timeout) {
    static Call get(String path, Map<String, String> query) {
      return new Call("GET", path, query, null, null, Map.of(), true, null);
    }

    static Call delete(String path) {
      return new Call("DELETE", path, Map.of(), null, null, Map.of(), true, null);
    }

    static Call send(String method, String path, Object body, boolean retrySafe) {
      return new Call(method, path, Map.of(), body, "application/json", Map.of(), retrySafe, null);
    }

    Call withHeader(String name, String value) {
      if (value == null) {
        return this;
      }
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put(name, value);
      return new Call(method, path, query, body, contentType, all, retrySafe, timeout);
    }

    Call withTimeout(Duration value) {
      return new Call(method, path, query, body, contentType, headers, retrySafe, value);
    }
  }

  /** A decoded response: the status, the body, and the headers (for ETags). */
  record Reply<T>(int status, T body, HttpHeaders headers) {}

  <T> Reply<T> call(Call call, Class<T> type) {
    return call(call, JSON.getTypeFactory().constructType(type));
  }

  <T> Reply<T> call(Call call, JavaType type) {
    HttpRequest request = request(call);
    int attempt = 1;
    boolean renewed = false;
    while (true) {
      HttpResponse<byte[]> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (call.retrySafe() && attempt < maxAttempts) {
          pause(attempt++, null);
          continue;
        }
        throw new WorkflowApiClientException(
            call.method() + " " + call.path() + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkflowApiClientException("interrupted", e);
      }
      int status = response.statusCode();
      if (status < 400) {
        return new Reply<>(status, decode(response.body(), type, call), response.headers());
      }
      if (status == 401 && !renewed && renewToken(request)) {
        // The request was refused before anything happened: it is safe to send again.
        renewed = true;
        request = request(call);
        continue;
      }
      ProblemException problem = problem(status, response.body(), call);
      boolean transientFailure = status == 429 || status == 503 || status == 504;
      if (call.retrySafe() && transientFailure && attempt < maxAttempts) {
        pause(attempt++, response.headers().firstValue("Retry-After").orElse(null));
        continue;
      }
      throw problem;
    }
  }

  HttpRequest request(Call call) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(call.path(), call.query()))
            .timeout(call.timeout() == null ? requestTimeout : call.timeout())
            .header("Accept", "application/json");
    defaultHeaders.forEach(builder::header);
    call.headers().forEach(builder::setHeader);
    if (traceContext != null) {
      traceContext
          .headers()
          .forEach(
              (name, value) -> {
                if (value != null
                    && (name.equalsIgnoreCase("traceparent")
                        || name.equalsIgnoreCase("tracestate"))) {
                  builder.setHeader(name.toLowerCase(Locale.ROOT), value);
                }
              });
    }
    if (tokens != null) {
      builder.setHeader("Authorization", "Bearer " + tokens.current());
    }
    if (call.body() == null) {
      builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", call.contentType())
          .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(encode(call.body())));
    }
    return builder.build();
  }

  /** After a 401 to {@code sent}: whether a new token was had, so sending again may succeed. */
  boolean renewToken(HttpRequest sent) {
    if (tokens == null) {
      return false;
    }
    String refused =
        sent.headers()
            .firstValue("Authorization")
            .filter(v -> v.startsWith("Bearer "))
            .map(v -> v.substring("Bearer ".length()))
            .orElse(null);
    return tokens.refresh(refused);
  }

  /** Text from another server, fit for a message: no control characters, at most 300 of them. */
  static String printable(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
  }

  URI uri(String path, Map<String, String> query) {
    StringBuilder text = new StringBuilder(baseUri.toString()).append(path);
    char separator = '?';
    for (Map.Entry<String, String> entry : query.entrySet()) {
      if (entry.getValue() != null) {
        text.append(separator).append(encodeQuery(entry.getKey())).append('=');
        text.append(encodeQuery(entry.getValue()));
        separator = '&';
      }
    }
    return URI.create(text.toString());
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodeQuery(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static byte[] encode(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request body as JSON: " + e, e);
    }
  }

  private static <T> T decode(byte[] body, JavaType type, Call call) {
    if (type.getRawClass() == Void.class || body.length == 0) {
      return null;
    }
    try {
      return JSON.readValue(body, type);
    } catch (IOException e) {
      throw new WorkflowApiClientException(
          call.method() + " " + call.path() + ": the answer is not the API's JSON: " + e, e);
    }
  }

  static ProblemException problem(int status, byte[] body, Call call) {
    try {
      Problem problem = JSON.readValue(body, Problem.class);
      if (problem != null && problem.status() == status) {
        return ProblemException.of(problem);
      }
    } catch (IOException e) {
      // not a problem document: described below
    }
    String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
    return ProblemException.of(
        new Problem(
            "about:blank",
            "HTTP " + status,
            status,
            call.method() + " " + call.path() + " answered " + status + ": " + text,
            call.path(),
            "http-" + status,
            status == 503 || status == 429 || status == 504,
            null,
            null));
  }

  static ProblemException problem(int status, InputStream body, Call call) throws IOException {
    return problem(status, body.readAllBytes(), call);
  }

  private void pause(int attempt, String retryAfter) {
    long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 6);
    millis = Math.min(millis, 5_000);
    millis += ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
      millis = Math.min(Long.parseLong(retryAfter) * 1000, 30_000);
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowApiClientException("interrupted", e);
    }
  }
}
