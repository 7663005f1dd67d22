package io.kaapana.workflow.adapter.airflow;

import static io.kaapana.workflow.adapter.airflow.AirflowHttp.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between Airflow 2's REST API v1 and Airflow 3's v2. Everything else (paths below the
 * base path, most bodies) is shared and lives in {@link AirflowAdapter}.
 */
abstract class AirflowDialect {

  static final AirflowDialect AIRFLOW_2 = new Airflow2();
  static final AirflowDialect AIRFLOW_3 = new Airflow3();

  private final String description;
  private final String api;
  private final boolean bearerTokens;
  private final boolean continuationTokens;

  private AirflowDialect(
      String description, String api, boolean bearerTokens, boolean continuationTokens) {
    this.description = description;
    this.api = api;
    this.bearerTokens = bearerTokens;
    this.continuationTokens = continuationTokens;
  }

  /** For messages: "Airflow 2 (REST API v1)". */
  final String describe() {
    return description;
  }

  /** {@code /api/v1} or {@code /api/v2}. */
  final String api() {
    return api;
  }

  /** Airflow 3 takes JWTs from {@code /auth/token}; Airflow 2 basic auth. */
  final boolean bearerTokens() {
    return bearerTokens;
  }

  /**
   * Whether log reads go on from Airflow's continuation token. Airflow 3.2 answers 500 to every
   * read with a token while the try runs, and sends none once it ended: there the adapter reads
   * from the start and skips the lines it handed out.
   */
  final boolean continuationTokens() {
    return continuationTokens;
  }

  /**
   * The trigger body: run id, conf and a note. No logical date here: Airflow 2 takes "now" (unique
   * per DAG; a clash answers 409 and is retried).
   */
  ObjectNode triggerBody(String dagRunId, JsonNode conf, String note) {
    ObjectNode body = AirflowHttp.object();
    body.put("dag_run_id", dagRunId);
    body.set("conf", conf);
    body.put("note", note);
    return body;
  }

  abstract void setRunNote(AirflowHttp http, String dagId, String dagRunId, String note)
      throws AdapterException;

  /** Marks the run failed; returns the run as Airflow answers. */
  abstract JsonNode failRun(AirflowHttp http, String dagId, String dagRunId)
      throws AdapterException;

  /** Marks one task instance (every map index of it on Airflow 2) failed. */
  abstract void failTaskInstance(
      AirflowHttp http, String dagId, String dagRunId, String taskId, int mapIndex)
      throws AdapterException;

  /** The body of {@code POST .../dagRuns/{id}/clear} that re-runs every task. */
  ObjectNode clearRunBody() {
    ObjectNode body = AirflowHttp.object();
    body.put("dry_run", false);
    return body;
  }

  /** The task instances of the given runs, in as few calls as the version allows. */
  abstract List<JsonNode> taskInstancesOf(
      AirflowHttp http, Collection<String> dagIds, Collection<String> dagRunIds)
      throws AdapterException;

  /** The log lines of a log answer's {@code content}. */
  abstract List<LogLine> logLines(JsonNode content, Instant fallbackTime);

  String path(String first, String... rest) {
    StringBuilder path = new StringBuilder(api()).append(first);
    for (String piece : rest) {
      path.append('/').append(segment(piece));
    }
    return path.toString();
  }

  String runPath(String dagId, String dagRunId) {
    return path("/dags", dagId, "dagRuns", dagRunId);
  }

  String taskInstancePath(String dagId, String dagRunId, String taskId, int mapIndex) {
    String path = path("/dags", dagId, "dagRuns", dagRunId, "taskInstances", taskId);
    return mapIndex < 0 ? path : path + "/" + mapIndex;
  }

  static ObjectNode batchBody(Collection<String> dagIds, Collection<String> dagRunIds) {
    ObjectNode body = AirflowHttp.object();
    dagIds.forEach(body.putArray("dag_ids")::add);
    dagRunIds.forEach(body.putArray("dag_run_ids")::add);
    return body;
  }

  /** Airflow 2.x: basic auth, Python-literal log text, one batch call for task instances. */
  private static final class Airflow2 extends AirflowDialect {
    Airflow2() {
      super("Airflow 2 (REST API v1)", "/api/v1", false, true);
    }

    @Override
    void setRunNote(AirflowHttp http, String dagId, String dagRunId, String note)
        throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("note", note);
      http.patch(runPath(dagId, dagRunId) + "/setNote", Map.of(), body);
    }

    @Override
    JsonNode failRun(AirflowHttp http, String dagId, String dagRunId) throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("state", "failed");
      return http.patch(runPath(dagId, dagRunId), Map.of(), body);
    }

    @Override
    void failTaskInstance(
        AirflowHttp http, String dagId, String dagRunId, String taskId, int mapIndex)
        throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("dag_run_id", dagRunId);
      body.put("task_id", taskId);
      body.put("new_state", "failed");
      body.put("dry_run", false);
      body.put("include_upstream", false);
      body.put("include_downstream", false);
      body.put("include_future", false);
      body.put("include_past", false);
      http.post(path("/dags", dagId) + "/updateTaskInstancesState", Map.of(), body);
    }

    @Override
    List<JsonNode> taskInstancesOf(
        AirflowHttp http, Collection<String> dagIds, Collection<String> dagRunIds)
        throws AdapterException {
      // Airflow 2's batch list has no paging: one call returns every match.
      JsonNode answer =
          http.post(
              api() + "/dags/~/dagRuns/~/taskInstances/list",
              Map.of(),
              batchBody(dagIds, dagRunIds));
      List<JsonNode> instances = new ArrayList<>();
      answer.path("task_instances").forEach(instances::add);
      return instances;
    }

    @Override
    List<LogLine> logLines(JsonNode content, Instant fallbackTime) {
      return content.isTextual()
          ? AirflowLogs.parseAirflow2(content.asText(), fallbackTime)
          : AirflowLogs.parseAirflow3(content, fallbackTime);
    }
  }

  /** Airflow 3.x: JWT bearer tokens, structured logs, paged batch lists, update masks. */
  private static final class Airflow3 extends AirflowDialect {
    private static final int PAGE = 100;

    Airflow3() {
      super("Airflow 3 (REST API v2)", "/api/v2", true, false);
    }

    @Override
    ObjectNode triggerBody(String dagRunId, JsonNode conf, String note) {
      // 3.0.0 requires logical_date (nullable); null means "no logical date", so runs never clash.
      ObjectNode body = super.triggerBody(dagRunId, conf, note);
      body.putNull("logical_date");
      return body;
    }

    @Override
    void setRunNote(AirflowHttp http, String dagId, String dagRunId, String note)
        throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("note", note);
      http.patch(runPath(dagId, dagRunId), Map.of("update_mask", "note"), body);
    }

    @Override
    JsonNode failRun(AirflowHttp http, String dagId, String dagRunId) throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("state", "failed");
      return http.patch(runPath(dagId, dagRunId), Map.of("update_mask", "state"), body);
    }

    @Override
    void failTaskInstance(
        AirflowHttp http, String dagId, String dagRunId, String taskId, int mapIndex)
        throws AdapterException {
      ObjectNode body = AirflowHttp.object();
      body.put("new_state", "failed");
      Map<String, String> query = new LinkedHashMap<>();
      query.put("update_mask", "new_state");
      http.patch(taskInstancePath(dagId, dagRunId, taskId, mapIndex), query, body);
    }

    @Override
    ObjectNode clearRunBody() {
      ObjectNode body = super.clearRunBody();
      body.put("only_failed", false); // 3.x clears only failed tasks when asked: here all
      return body;
    }

    @Override
    List<JsonNode> taskInstancesOf(
        AirflowHttp http, Collection<String> dagIds, Collection<String> dagRunIds)
        throws AdapterException {
      List<JsonNode> instances = new ArrayList<>();
      for (int offset = 0; ; offset += PAGE) {
        ObjectNode body = batchBody(dagIds, dagRunIds);
        body.put("page_limit", PAGE);
        body.put("page_offset", offset);
        JsonNode answer = http.post(api() + "/dags/~/dagRuns/~/taskInstances/list", Map.of(), body);
        JsonNode page = answer.path("task_instances");
        page.forEach(instances::add);
        if (page.size() < PAGE || offset + PAGE >= answer.path("total_entries").asInt()) {
          return instances;
        }
      }
    }

    @Override
    List<LogLine> logLines(JsonNode content, Instant fallbackTime) {
      return AirflowLogs.parseAirflow3(content, fallbackTime);
    }
  }
}
