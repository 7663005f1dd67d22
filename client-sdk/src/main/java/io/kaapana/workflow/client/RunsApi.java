package io.kaapana.workflow.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import io.kaapana.workflow.client.model.BulkResult;
import io.kaapana.workflow.client.model.BulkWorkflowRunEvent;
import io.kaapana.workflow.client.model.CreateWorkflowRun;
import io.kaapana.workflow.client.model.Event;
import io.kaapana.workflow.client.model.LogLine;
import io.kaapana.workflow.client.model.LogPage;
import io.kaapana.workflow.client.model.Page;
import io.kaapana.workflow.client.model.RequestedAction;
import io.kaapana.workflow.client.model.RetryScope;
import io.kaapana.workflow.client.model.StatusReport;
import io.kaapana.workflow.client.model.TaskRun;
import io.kaapana.workflow.client.model.TaskRunEvent;
import io.kaapana.workflow.client.model.WorkflowRun;
import io.kaapana.workflow.client.model.WorkflowRunEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Workflow runs, their task runs, history, logs and lifecycle events. */
public final class RunsApi {
  private static final JavaType PAGE =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, WorkflowRun.class);
  private static final JavaType TASK_PAGE =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, TaskRun.class);
  private static final JavaType EVENT_PAGE =
      HttpTransport.JSON.getTypeFactory().constructParametricType(Page.class, Event.class);

  private final HttpTransport transport;

  RunsApi(HttpTransport transport) {
    this.transport = transport;
  }

  /** Starts a run with a fresh idempotency key, so re-sends after a lost answer create one run. */
  public WorkflowRun create(CreateWorkflowRun run) {
    return create(run, UUID.randomUUID().toString());
  }

  /**
   * Starts a run under the caller's idempotency key: the same key and body always give the same run
   * (a different body is a {@link ProblemException.ConflictException}, {@code
   * idempotency-key-reused}).
   */
  public WorkflowRun create(CreateWorkflowRun run, String idempotencyKey) {
    HttpTransport.Call call =
        HttpTransport.Call.send("POST", "/v1/workflow-runs", run, true)
            .withHeader("Idempotency-Key", idempotencyKey);
    return transport.call(call, WorkflowRun.class).body();
  }

  public WorkflowRun get(UUID id) {
    return transport.call(HttpTransport.Call.get(path(id), Map.of()), WorkflowRun.class).body();
  }

  public Tagged<WorkflowRun> getTagged(UUID id) {
    HttpTransport.Reply<WorkflowRun> reply =
        transport.call(HttpTransport.Call.get(path(id), Map.of()), WorkflowRun.class);
    return new Tagged<>(reply.body(), reply.headers().firstValue("ETag").orElse(null));
  }

  public Page<WorkflowRun> list(Query query) {
    return transport
        .<Page<WorkflowRun>>call(HttpTransport.Call.get("/v1/workflow-runs", query.asMap()), PAGE)
        .body();
  }

  /** Every matching run, fetching pages as the stream is consumed. */
  public Stream<WorkflowRun> listAll(Query query) {
    return Pages.all(query, this::list);
  }

  /** Requests CANCEL: at once for an unheld new run, else the holder stops it in the engine. */
  public WorkflowRun cancel(UUID id, String reason) {
    return requestAction(id, WorkflowRunEvent.cancel(reason), null);
  }

  /** Requests RETRY of a run in ERROR or CANCELED. */
  public WorkflowRun retry(UUID id, RetryScope scope, String reason) {
    return requestAction(id, WorkflowRunEvent.retry(scope, reason), null);
  }

  /** Posts a lifecycle event; {@code ifMatch} (an ETag) may be null. */
  public WorkflowRun requestAction(UUID id, WorkflowRunEvent event, String ifMatch) {
    HttpTransport.Call call =
        HttpTransport.Call.send("POST", path(id) + "/events", event, true)
            .withHeader("Idempotency-Key", UUID.randomUUID().toString())
            .withHeader("If-Match", ifMatch);
    return transport.call(call, WorkflowRun.class).body();
  }

  /** The run's history, oldest first, after sequence number {@code after}. */
  public Page<Event> history(UUID id, long after, int limit) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("after", Long.toString(after));
    query.put("limit", Integer.toString(limit));
    return transport
        .<Page<Event>>call(HttpTransport.Call.get(path(id) + "/events", query), EVENT_PAGE)
        .body();
  }

  public Page<TaskRun> taskRuns(UUID id, Query query) {
    return transport
        .<Page<TaskRun>>call(
            HttpTransport.Call.get(path(id) + "/task-runs", query.asMap()), TASK_PAGE)
        .body();
  }

  public Stream<TaskRun> taskRunsAll(UUID id, Query query) {
    return Pages.all(query, q -> taskRuns(id, q));
  }

  public TaskRun taskRun(UUID id, UUID taskRunId) {
    return transport
        .call(HttpTransport.Call.get(path(id) + "/task-runs/" + taskRunId, Map.of()), TaskRun.class)
        .body();
  }

  /** Requests RETRY of one task run (and its downstream), where the engine supports it. */
  public WorkflowRun retryTask(UUID id, UUID taskRunId, String reason) {
    HttpTransport.Call call =
        HttpTransport.Call.send(
                "POST",
                path(id) + "/task-runs/" + taskRunId + "/events",
                new TaskRunEvent(RequestedAction.RETRY, reason),
                true)
            .withHeader("Idempotency-Key", UUID.randomUUID().toString());
    return transport.call(call, WorkflowRun.class).body();
  }

  /**
   * A page of log lines of one task attempt. {@code attempt} null means the latest, {@code cursor}
   * null the start, {@code limit} null the service's default.
   */
  public LogPage logs(UUID id, UUID taskRunId, Integer attempt, String cursor, Integer limit) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("attempt", attempt == null ? null : attempt.toString());
    query.put("cursor", cursor);
    query.put("limit", limit == null ? null : limit.toString());
    return transport
        .call(
            HttpTransport.Call.get(path(id) + "/task-runs/" + taskRunId + "/logs", query),
            LogPage.class)
        .body();
  }

  /**
   * Follows a task attempt's log live: {@code lines} receives every line, in order, on the
   * subscription's thread, until the task attempt settles ({@link Subscription#done()} completes)
   * or the subscription is closed. A dropped connection resumes after the last line delivered.
   */
  public Subscription followLogs(
      UUID id, UUID taskRunId, Integer attempt, Consumer<LogLine> lines) {
    String path = path(id) + "/task-runs/" + taskRunId + "/logs";
    return new Subscription(
            transport,
            "kaapana-log-follow-" + taskRunId,
            null,
            cursor -> {
              Map<String, String> query = new LinkedHashMap<>();
              query.put("attempt", attempt == null ? null : attempt.toString());
              query.put("cursor", cursor);
              query.put("follow", "true");
              return HttpTransport.Call.get(path, query);
            },
            frame ->
                switch (frame.event()) {
                  case "log" -> {
                    lines.accept(read(frame.data(), LogLine.class));
                    yield Subscription.Next.CONTINUE;
                  }
                  case "end" -> Subscription.Next.STOP;
                  case "error" ->
                      throw new WorkflowApiClientException("log follow failed: " + frame.data());
                  default -> Subscription.Next.CONTINUE;
                },
            error -> {})
        .start();
  }

  /** Applies CANCEL or RETRY to every run matching a label selector. */
  public BulkResult bulk(BulkWorkflowRunEvent event) {
    return transport
        .call(
            HttpTransport.Call.send("POST", "/v1/bulk/workflow-run-events", event, false),
            BulkResult.class)
        .body();
  }

  /**
   * The holder's report (role {@code adapter}). Re-sending one is harmless: unchanged values write
   * nothing. A stale lease is a {@link ProblemException.LeaseLostException}.
   */
  public WorkflowRun reportStatus(UUID id, StatusReport report) {
    return transport
        .call(
            HttpTransport.Call.send("POST", path(id) + "/status", report, true), WorkflowRun.class)
        .body();
  }

  private static String path(UUID id) {
    return "/v1/workflow-runs/" + id;
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return HttpTransport.JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new WorkflowApiClientException(
          "the stream sent something that is not the API's JSON: " + e, e);
    }
  }
}
