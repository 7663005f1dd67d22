package io.kaapana.workflow.service.logs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.service.security.AdapterEndpoints;
import io.kaapana.workflow.service.security.ServiceTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads task logs through the adapter that serves the run. The adapter's endpoint is {@code GET
 * {endpoint_url}/v1/runs/{run_id}/task-runs/{task_title}/logs} with the query parameters {@code
 * attempt, cursor, limit, run_external_id, task_external_id}, answering a {@link LogPage}. Failures
 * become 503 (adapter unreachable) or 502 (engine failed), never a 200.
 */
@ApplicationScoped
public class LogProxy {
  private final AdapterCommands adapters;
  private final ServiceTokens tokens;
  private final AdapterEndpoints endpoints;
  private final ObjectReader pageReader;
  private final ObjectMapper mapper;
  private final HttpClient client;
  private final Duration requestTimeout;

  public LogProxy(
      AdapterCommands adapters,
      ServiceTokens tokens,
      AdapterEndpoints endpoints,
      ObjectMapper mapper,
      @ConfigProperty(name = "kaapana.logs.request-timeout", defaultValue = "PT15S")
          Duration requestTimeout) {
    this.adapters = adapters;
    this.tokens = tokens;
    this.endpoints = endpoints;
    this.mapper = mapper;
    this.pageReader =
        mapper.readerFor(LogPage.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  /** One page, for a JSON answer (blocks the calling worker for at most the request timeout). */
  public LogPage fetch(WorkflowRun run, TaskRun task, int attempt, String cursor, int limit) {
    try {
      return fetchAsync(choose(run), run, task, attempt, cursor, limit, 0).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * One page without holding a thread while the adapter answers. With {@code waitSeconds > 0} an
   * adapter with {@code LOG_FOLLOW} waits up to that long for new lines. Cancelling the future
   * aborts the request. It completes with a {@link WorkflowApiException} when the adapter cannot
   * give the page.
   */
  public CompletableFuture<LogPage> fetchAsync(
      Adapter adapter,
      WorkflowRun run,
      TaskRun task,
      int attempt,
      String cursor,
      int limit,
      int waitSeconds) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("attempt", String.valueOf(attempt));
    if (cursor != null) {
      query.put("cursor", cursor);
    }
    query.put("limit", String.valueOf(limit));
    if (waitSeconds > 0) {
      query.put("wait_seconds", String.valueOf(waitSeconds));
    }
    if (run.externalId() != null) {
      query.put("run_external_id", run.externalId());
    }
    if (task.externalId() != null) {
      query.put("task_external_id", task.externalId());
    }
    StringBuilder url =
        new StringBuilder(stripSlash(adapter.endpointUrl()))
            .append("/v1/runs/")
            .append(run.id())
            .append("/task-runs/")
            .append(encode(task.taskTitle()))
            .append("/logs?");
    query.forEach((k, v) -> url.append(k).append('=').append(encode(v)).append('&'));
    URI uri;
    try {
      uri = URI.create(url.substring(0, url.length() - 1));
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(unreachable(adapter, e));
    }
    // The allow-list may have changed since the adapter registered: it holds at every call.
    if (!endpoints.allows(uri)) {
      return CompletableFuture.failedFuture(
          unavailable(
              "adapter "
                  + adapter.id()
                  + " registered a log endpoint on a host that is not allowed ("
                  + endpoints.setting()
                  + "); it must register again"));
    }
    AtomicReference<CompletableFuture<HttpResponse<String>>> inFlight = new AtomicReference<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    CompletableFuture<HttpResponse<String>> sent =
        tokens
            .authorization()
            .exceptionally(
                failure -> {
                  throw unavailable(
                      "the service cannot get its own token from the identity provider to call"
                          + " adapter "
                          + adapter.id());
                })
            .thenCompose(
                authorization -> {
                  HttpRequest.Builder request =
                      HttpRequest.newBuilder(uri)
                          .timeout(requestTimeout.plusSeconds(waitSeconds))
                          .header("Accept", "application/json")
                          .GET();
                  authorization.ifPresent(value -> request.header("Authorization", value));
                  if (abandoned.get()) {
                    return CompletableFuture.failedFuture(new CancellationException());
                  }
                  CompletableFuture<HttpResponse<String>> call =
                      client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
                  inFlight.set(call);
                  return call;
                });
    CompletableFuture<LogPage> page =
        sent.handle(
            (response, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                throw unreachable(adapter, cause);
              }
              return page(adapter, task, attempt, response);
            });
    // cancelling the answer aborts the request (the client of a follow went away)
    page.whenComplete(
        (p, failure) -> {
          if (page.isCancelled()) {
            abandoned.set(true);
            sent.cancel(true);
            CompletableFuture<HttpResponse<String>> call = inFlight.get();
            if (call != null) {
              call.cancel(true);
            }
          }
        });
    return page;
  }

  private LogPage page(Adapter adapter, TaskRun task, int attempt, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status == 200) {
      try {
        return pageReader.readValue(response.body());
      } catch (IOException e) {
        throw new WorkflowApiException(
            ErrorCode.ENGINE_ERROR,
            "adapter " + adapter.id() + " answered logs that are not a log page");
      }
    }
    String detail = problemDetail(response.body()).orElse("HTTP " + status);
    if (status == 401 || status == 403) {
      tokens.refused(); // the next call comes with a fresh token
      throw unavailable(
          "adapter " + adapter.id() + " refused the service's token (" + detail + "); retry later");
    }
    if (status == 404) {
      throw WorkflowApiException.notFound(
          "logs of attempt " + attempt + " of task '" + task.taskTitle() + "' (" + detail + ")");
    }
    if (status == 400) {
      // The adapter refused the query itself, e.g. a cursor it never handed out.
      throw new WorkflowApiException(ErrorCode.INVALID_QUERY, detail);
    }
    if (status == 503) {
      throw unavailable("adapter " + adapter.id() + " is unavailable: " + detail);
    }
    throw new WorkflowApiException(
        ErrorCode.ENGINE_ERROR,
        "the engine behind adapter " + adapter.id() + " failed to return logs: " + detail,
        new ProblemDetails.FailingAdapter(adapter.id()));
  }

  private static WorkflowApiException unreachable(Adapter adapter, Throwable cause) {
    if (cause instanceof WorkflowApiException e) {
      return e;
    }
    return unavailable(
        "adapter "
            + adapter.id()
            + " cannot be reached at "
            + adapter.endpointUrl()
            + ": "
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
  }

  /** The holder when it is active, else any active adapter that serves the run and reads logs. */
  public Adapter choose(WorkflowRun run) {
    if (run.adapterId() != null) {
      Optional<Adapter> holder = adapters.find(run.adapterId());
      if (holder.isPresent() && holder.get().isActive() && holder.get().endpointUrl() != null) {
        return holder.get();
      }
    }
    for (Adapter a : adapters.active()) {
      if (a.endpointUrl() != null
          && a.capabilities().contains(Capability.LOGS)
          && a.serves(run.workflowEngine(), run.labels())) {
        return a;
      }
    }
    throw unavailable(
        "no active adapter that serves workflow engine '"
            + run.workflowEngine()
            + "' and reads logs is registered; try again when one is");
  }

  private Optional<String> problemDetail(String body) {
    try {
      JsonNode node = mapper.readTree(body);
      if (node != null && node.hasNonNull("detail")) {
        return Optional.of(node.get("detail").asText());
      }
    } catch (IOException | RuntimeException e) {
      // not a problem document: fall back to the status
    }
    return Optional.empty();
  }

  private static WorkflowApiException unavailable(String detail) {
    return new WorkflowApiException(ErrorCode.ADAPTER_UNAVAILABLE, detail);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
