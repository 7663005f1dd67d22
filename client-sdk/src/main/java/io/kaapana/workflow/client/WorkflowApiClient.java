package io.kaapana.workflow.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Java client of the Kaapana Workflow API.
 *
 * <pre>{@code
 * WorkflowApiClient api = WorkflowApiClient.builder(URI.create("http://localhost:8080")).build();
 * WorkflowRun run = api.runs().create(CreateWorkflowRun.of("hello", Map.of("name", "Kaapana")));
 * try (Subscription events = api.events().subscribe(Query.events().workflowRunId(run.id()), 0,
 *     event -> System.out.println(event.type() + " " + event.to()))) { ... }
 * }</pre>
 *
 * <p>Thread-safe; one instance per service is enough. Errors the service answers are {@link
 * ProblemException}s (a subclass per common kind); failures to reach it are {@link
 * WorkflowApiClientException}s. GET, PUT and DELETE, and the POSTs that carry an {@code
 * Idempotency-Key} (run creation and events — the client makes a key when the caller gives none),
 * are re-sent after connection failures and 429/503/504 answers, up to {@code maxAttempts}.
 */
public final class WorkflowApiClient {
  private final HttpTransport transport;
  private final WorkflowsApi workflows;
  private final RunsApi runs;
  private final EventsApi events;
  private final AdaptersApi adapters;
  private final AdminApi admin;

  private WorkflowApiClient(HttpTransport transport) {
    this.transport = transport;
    this.workflows = new WorkflowsApi(transport);
    this.runs = new RunsApi(transport);
    this.events = new EventsApi(transport);
    this.adapters = new AdaptersApi(transport);
    this.admin = new AdminApi(transport);
  }

  /**
   * A client of the service at {@code baseUri} (e.g. {@code http://host:8080} or {@code
   * …/workflow-api}).
   */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  public WorkflowsApi workflows() {
    return workflows;
  }

  public RunsApi runs() {
    return runs;
  }

  public EventsApi events() {
    return events;
  }

  /** The calls of the {@code adapter} role: register, claim, report. */
  public AdaptersApi adapters() {
    return adapters;
  }

  /** The calls of the {@code admin} role. */
  public AdminApi admin() {
    return admin;
  }

  /** Who the service takes this client's caller to be: name, roles, projects. */
  public io.kaapana.workflow.client.model.CallerIdentity caller() {
    return transport
        .call(
            HttpTransport.Call.get("/v1/caller", java.util.Map.of()),
            io.kaapana.workflow.client.model.CallerIdentity.class)
        .body();
  }

  public URI baseUri() {
    return transport.baseUri;
  }

  /** Settings of a client. */
  public static final class Builder {
    private final URI baseUri;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(200);
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpClient httpClient;
    private AccessTokens accessTokens;
    private TraceContext traceContext;

    private Builder(URI baseUri) {
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
    }

    /** How long to wait for a connection (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long one request may take (default 30 s; long-polls add their wait to it). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** How often a safe request is sent in all (default 3; 1 turns re-sending off). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("at least one attempt");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The first pause before a re-send (default 200 ms); it doubles up to 5 s, with jitter. */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = backoff;
      return this;
    }

    /** The acting user, recorded in events and the audit log (header {@code X-Forwarded-User}). */
    public Builder actor(String user) {
      return header("X-Forwarded-User", user);
    }

    /** A header sent with every request, e.g. {@code Authorization}. */
    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /**
     * Signs every request with a bearer token from {@code tokens} (a user's fixed token, or an
     * adapter's client credentials), and after a 401 sends it once more with a renewed one.
     */
    public Builder accessTokens(AccessTokens tokens) {
      this.accessTokens = tokens;
      return this;
    }

    /**
     * Sends the calling thread's W3C trace context with every request (see {@link TraceContext}).
     */
    public Builder traceContext(TraceContext source) {
      this.traceContext = source;
      return this;
    }

    /** Uses this HTTP client instead of a new one (for proxies, TLS settings, executors). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    public WorkflowApiClient build() {
      HttpClient http =
          httpClient != null
              ? httpClient
              : HttpClient.newBuilder()
                  .connectTimeout(connectTimeout)
                  .followRedirects(HttpClient.Redirect.NORMAL)
                  .build();
      return new WorkflowApiClient(
          new HttpTransport(
              http,
              baseUri,
              requestTimeout,
              maxAttempts,
              initialBackoff,
              headers,
              accessTokens,
              traceContext));
    }
  }
}
