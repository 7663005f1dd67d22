package io.kaapana.workflow.adapter.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A JSON client for one engine's HTTP API: timeouts, TLS, an {@link EngineAuth} with one retry
 * after a 401, the status → {@link AdapterException} table of {@link EngineFailures}, plain-text
 * and JSON-lines answers, and an exchange recorder for troubleshooting and the contract tests.
 */
public final class EngineClient {

  /** The default bound of one answer, or of one line of a JSON-lines answer: 64 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

  /** Tolerant of fields an engine adds in a newer release. */
  public static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The answer to a request whose status the caller looks at. */
  public record Answer(int status, JsonNode body, String text) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** One request and its answer, as the recorder sees it. */
  public record Exchange(
      String method,
      String path,
      Map<String, String> query,
      JsonNode requestBody,
      int status,
      String contentType,
      String responseBody) {}

  private final String engine;
  private final URI url;
  private final Duration requestTimeout;
  private final HttpClient client;
  private final EngineAuth auth;
  private final Function<Answer, String> explanation;
  private final String configurationHint;
  private final Consumer<Exchange> recorder;
  private final int maxBodyBytes;
  private final Map<String, String> headers;

  private EngineClient(Builder builder) {
    this.engine = builder.engine;
    this.url = builder.url;
    this.requestTimeout = builder.requestTimeout;
    this.client = EngineHttp.client(builder.connectTimeout, builder.tls);
    this.auth = builder.auth;
    this.explanation = builder.explanation;
    this.configurationHint = builder.configurationHint;
    this.recorder = builder.recorder;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.headers = Map.copyOf(builder.headers);
  }

  /** A client for the engine called {@code engine} (in messages) at {@code url}. */
  public static Builder builder(String engine, URI url) {
    return new Builder(engine, url);
  }

  public URI url() {
    return url;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** A JSON request whose answer the caller inspects; retried once after a 401. */
  public Answer send(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return send(method, path, query, body, "application/json");
  }

  /** As {@link #send(String, String, Map, JsonNode)}, accepting {@code accept}. */
  public Answer send(
      String method, String path, Map<String, String> query, JsonNode body, String accept)
      throws AdapterException {
    Answer answer = sendOnce(method, path, query, body, accept, true);
    if (answer.status() == 401 && auth.refresh()) {
      answer = sendOnce(method, path, query, body, accept, true);
    }
    return answer;
  }

  /**
   * A request that carries credentials in its body (a token endpoint): not authenticated, never
   * recorded.
   */
  public Answer sendCredentials(String method, String path, JsonNode body) throws AdapterException {
    return sendOnce(method, path, Map.of(), body, "application/json", false);
  }

  /**
   * Uploads one file as {@code multipart/form-data} (the form field {@code field}); the answer is
   * read as for JSON requests, retried once after a 401. The recorder sees the file's name, not its
   * content.
   */
  public Answer upload(
      String path, Map<String, String> query, String field, String fileName, byte[] content)
      throws AdapterException {
    Answer answer = uploadOnce(path, query, field, fileName, content);
    if (answer.status() == 401 && auth.refresh()) {
      answer = uploadOnce(path, query, field, fileName, content);
    }
    return answer;
  }

  private Answer uploadOnce(
      String path, Map<String, String> query, String field, String fileName, byte[] content)
      throws AdapterException {
    String boundary = "kaapana-" + java.util.UUID.randomUUID();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(content.length + 512);
    // The field and file names are ours (never user input with quotes or line breaks).
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + field
            + "\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder request =
        request("POST", path, query, null, "application/json", true, requestTimeout)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    return exchange(
        request,
        "POST",
        path,
        query,
        JSON.createObjectNode().put("multipart", field).put("filename", fileName),
        true);
  }

  /** The JSON body of a 2xx answer (an empty object when there is none); else the failure. */
  public JsonNode expect(String method, String path, Map<String, String> query, JsonNode body)
      throws AdapterException {
    return expectOk(send(method, path, query, body), method + " " + path);
  }

  /** The JSON body of a 2xx answer (an empty object when there is none); else the failure. */
  public JsonNode expectOk(Answer answer, String what) throws AdapterException {
    if (answer.ok()) {
      return answer.body() == null ? JSON.createObjectNode() : answer.body();
    }
    throw failure(what, answer);
  }

  /** {@code what} failed with this answer: the status table, the engine's own explanation. */
  public AdapterException failure(String what, Answer answer) {
    return EngineFailures.answered(
        what, answer.status(), explanation.apply(answer), configurationHint);
  }

  /** A plain-text answer (a log, an artifact); a non-2xx status is a failure as for JSON. */
  public String text(String path, Map<String, String> query) throws AdapterException {
    Answer answer = send("GET", path, query, null, "text/plain, application/json");
    if (!answer.ok()) {
      throw failure("GET " + path, answer);
    }
    return answer.text();
  }

  /**
   * Reads an answer of JSON lines (blank lines skipped, an SSE {@code data:} prefix removed) until
   * {@code stop} says so, the answer ends, or {@code maxTime} has passed. {@code opened} gets the
   * body once the engine accepted the request: closing it from another thread ends the reading (a
   * blocked read does not notice an interrupt). A 401 refreshes the credentials for the next call.
   */
  public void lines(
      String path,
      Map<String, String> query,
      Duration maxTime,
      Consumer<Closeable> opened,
      Predicate<JsonNode> stop)
      throws AdapterException {
    HttpRequest request =
        request("GET", path, query, null, "application/json", true, maxTime).build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw EngineFailures.unreachable(engine, url, e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted(engine, e);
    }
    InputStream raw = response.body();
    try (InputStream body = new java.io.BufferedInputStream(raw)) {
      if (response.statusCode() >= 300) {
        if (response.statusCode() == 401) {
          auth.refresh();
        }
        String text = bounded(body, "GET " + path);
        throw failure("GET " + path, new Answer(response.statusCode(), parse(text, ""), text));
      }
      opened.accept(raw); // closing the connection's stream ends a blocked read
      String line;
      while ((line = nextLine(body, "GET " + path)) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = parse(line.startsWith("data:") ? line.substring(5).strip() : line, "");
        if (node != null && stop.test(node)) {
          return;
        }
      }
    } catch (HttpTimeoutException e) {
      // the time was up: what arrived is what there is
    } catch (IOException e) {
      if (!(e.getCause() instanceof HttpTimeoutException)) {
        throw EngineFailures.unreachable(engine, url, e);
      }
    }
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
        request(method, path, query, body, accept, authenticate, requestTimeout);
    return exchange(request, method, path, query, body, authenticate);
  }

  private Answer exchange(
      HttpRequest.Builder request,
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      boolean authenticate)
      throws AdapterException {
    HttpResponse<InputStream> response;
    String text;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      text = bounded(response.body(), method + " " + path);
    } catch (IOException e) {
      throw EngineFailures.unreachable(engine, url, e);
    } catch (InterruptedException e) {
      throw EngineFailures.interrupted(engine, e);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (authenticate) {
      recorder.accept(
          new Exchange(
              method,
              path,
              new LinkedHashMap<>(query),
              body,
              response.statusCode(),
              contentType,
              text));
    }
    return new Answer(response.statusCode(), parse(text, contentType), text);
  }

  private HttpRequest.Builder request(
      String method,
      String path,
      Map<String, String> query,
      JsonNode body,
      String accept,
      boolean authenticate,
      Duration timeout)
      throws AdapterException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(EngineHttp.uri(url, path, query))
            .timeout(timeout)
            .header("Accept", accept);
    if (authenticate) {
      String authorization = auth.authorization();
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      headers.forEach(builder::header);
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

  /** The whole body as text; more than {@code maxBodyBytes} is a failure, not a buffer. */
  private String bounded(InputStream body, String what) throws IOException, AdapterException {
    try (body) {
      byte[] bytes = body.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        throw tooLarge(what);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * The next line of a JSON-lines answer, or null at its end; a longer line than the bound fails.
   */
  private String nextLine(InputStream body, String what) throws IOException, AdapterException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    int next;
    while ((next = body.read()) != -1) {
      if (next == '\n') {
        return line.toString(StandardCharsets.UTF_8).stripTrailing();
      }
      if (line.size() >= maxBodyBytes) {
        throw tooLarge(what);
      }
      line.write(next);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8).stripTrailing();
  }

  private AdapterException tooLarge(String what) {
    return new AdapterException(
        ErrorCode.ENGINE_ERROR,
        what
            + ": the engine's answer is larger than "
            + maxBodyBytes
            + " bytes, the client's bound");
  }

  /**
   * JSON when the answer says so (or says nothing and looks like it); null for anything else, such
   * as a proxy's error page: the status then decides.
   */
  private static JsonNode parse(String text, String contentType) {
    if (text == null || text.isBlank()) {
      return null;
    }
    boolean looksJson = text.startsWith("{") || text.startsWith("[");
    if (!contentType.contains("json") && !(contentType.isEmpty() && looksJson)) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Appends every recorded exchange as one JSON line to {@code file}; a write that fails is lost.
   */
  public static Consumer<Exchange> appendingTo(Path file) {
    Objects.requireNonNull(file);
    return new Consumer<>() {
      @Override
      public synchronized void accept(Exchange exchange) {
        try {
          Files.writeString(
              file,
              JSON.writeValueAsString(exchange) + "\n",
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          // a troubleshooting aid only: never fail a call because of it
        }
      }
    };
  }

  /** The settings of an {@link EngineClient}. */
  public static final class Builder {
    private final String engine;
    private final URI url;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private SSLContext tls;
    private EngineAuth auth = EngineAuth.none();
    private Function<Answer, String> explanation = EngineClient::bodyText;
    private String configurationHint;
    private Consumer<Exchange> recorder = exchange -> {};
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder(String engine, URI url) {
      this.engine = Objects.requireNonNull(engine);
      this.url = Objects.requireNonNull(url);
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Whom TLS trusts ({@link EngineHttp#trustingPem}, {@link EngineHttp#trustingStore}). */
    public Builder tls(SSLContext tls) {
      this.tls = tls;
      return this;
    }

    public Builder auth(EngineAuth auth) {
      this.auth = Objects.requireNonNull(auth);
      return this;
    }

    /** The engine's own explanation of a failed answer, for messages (default: the body). */
    public Builder explanation(Function<Answer, String> explanation) {
      this.explanation = Objects.requireNonNull(explanation);
      return this;
    }

    /** Added to the message of a 401 or 403 (what to check: the token, its permissions). */
    public Builder configurationHint(String hint) {
      this.configurationHint = hint;
      return this;
    }

    /** Sees every exchange but those carrying credentials ({@link #sendCredentials}). */
    public Builder recorder(Consumer<Exchange> recorder) {
      this.recorder = Objects.requireNonNull(recorder);
      return this;
    }

    /**
     * The most an answer (or one line of a JSON-lines answer) may hold; default {@link
     * EngineClient#DEFAULT_MAX_BODY_BYTES} (64 MiB). Beyond it the call fails with {@code
     * ENGINE_ERROR}.
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * A header sent with every authenticated request (an identity header a gateway trusts, such as
     * Kubeflow's {@code kubeflow-userid}). A value that breaks lines is refused.
     */
    public Builder header(String name, String value) {
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a header value may not break lines");
      }
      this.headers.put(Objects.requireNonNull(name), value);
      return this;
    }

    public EngineClient build() {
      return new EngineClient(this);
    }
  }

  /** The body's text, shortened: the default explanation of a failed answer. */
  public static String bodyText(Answer answer) {
    String text = answer.text() == null ? "" : answer.text().strip();
    return abbreviate(text);
  }

  /** At most 500 characters of {@code text}, for messages. */
  public static String abbreviate(String text) {
    return text.length() <= 500 ? text : text.substring(0, 500) + "…";
  }
}
