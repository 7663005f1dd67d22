package io.kaapana.workflow.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Filters and paging for list calls, written fluently:
 *
 * <pre>{@code
 * Query.runs().labelSelector("kaapana.experiment=lung-ct").lifecycleStatus(RunState.ERROR).limit(100)
 * }</pre>
 *
 * A query is mutable and not thread-safe; build one per call.
 */
public final class Query {
  private final Map<String, String> params = new LinkedHashMap<>();

  private Query() {}

  /** Filters of {@code GET /v1/workflow-runs}. */
  public static Query runs() {
    return new Query();
  }

  /** Filters of {@code GET /v1/workflows}. */
  public static Query workflows() {
    return new Query();
  }

  /** Filters of {@code GET /v1/events}. */
  public static Query events() {
    return new Query();
  }

  /** Filters of a run's task runs. */
  public static Query taskRuns() {
    return new Query();
  }

  /** Any other query parameter, for filters newer than this client. */
  public Query param(String name, String value) {
    if (value == null) {
      params.remove(name);
    } else {
      params.put(name, value);
    }
    return this;
  }

  public Query labelSelector(String selector) {
    return param("label_selector", selector);
  }

  /** One or more states (their union). */
  public Query lifecycleStatus(Enum<?>... states) {
    return param(
        "lifecycle_status", Arrays.stream(states).map(Enum::name).collect(Collectors.joining(",")));
  }

  public Query workflowId(UUID id) {
    return param("workflow_id", id.toString());
  }

  public Query workflowTitle(String title) {
    return param("workflow_title", title);
  }

  public Query title(String title) {
    return param("title", title);
  }

  public Query workflowEngine(String engine) {
    return param("workflow_engine", engine);
  }

  public Query adapterId(String adapterId) {
    return param("adapter_id", adapterId);
  }

  public Query createdAfter(Instant instant) {
    return param("created_after", instant.toString());
  }

  public Query createdBefore(Instant instant) {
    return param("created_before", instant.toString());
  }

  public Query includeArchived(boolean include) {
    return param("include_archived", Boolean.toString(include));
  }

  public Query taskTitle(String title) {
    return param("task_title", title);
  }

  public Query objectType(String objectType) {
    return param("object_type", objectType);
  }

  public Query type(String eventType) {
    return param("type", eventType);
  }

  public Query workflowRunId(UUID runId) {
    return param("workflow_run_id", runId.toString());
  }

  /** Events after this sequence number. */
  public Query after(long seq) {
    return param("after", Long.toString(seq));
  }

  /** Page size, 1 to 500. */
  public Query limit(int limit) {
    return param("limit", Integer.toString(limit));
  }

  /** {@code created_at}, {@code updated_at} or {@code title}, ascending or not. */
  public Query orderBy(String field, boolean ascending) {
    param("order_by", field);
    return param("order", ascending ? "asc" : "desc");
  }

  public Query includeTotal() {
    return param("include_total", "true");
  }

  Query pageToken(String token) {
    return param("page_token", token);
  }

  Map<String, String> asMap() {
    return new LinkedHashMap<>(params);
  }

  Query copy() {
    Query copy = new Query();
    copy.params.putAll(params);
    return copy;
  }
}
