package io.kaapana.workflow.adapter.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogQuery;
import io.kaapana.workflow.adapter.support.EngineClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads task logs through Airflow's log endpoint, a page at a time: Airflow 2's continuation tokens
 * or Airflow 3's whole-try answers, behind one opaque cursor ({@link AirflowLogs.Cursor}).
 */
final class AirflowLogReader {
  private final AirflowHttp http;
  private final AirflowDialect dialect;

  AirflowLogReader(AirflowHttp http, AirflowDialect dialect) {
    this.http = http;
    this.dialect = dialect;
  }

  /** A page of a task attempt's log, from the cursor on. */
  LogPage read(LogQuery query) throws AdapterException {
    String dagId = AirflowAdapter.dagIdOf(query.run(), null);
    String dagRunId = AirflowIds.dagRunId(query.run().runId());
    AirflowIds.TaskKey key = AirflowIds.taskKey(query.taskTitle());
    AirflowLogs.Cursor cursor = AirflowLogs.Cursor.decode(query.cursor(), query.attempt());

    JsonNode instance =
        http.find(dialect.taskInstancePath(dagId, dagRunId, key.taskId(), key.mapIndex()));
    if (instance == null) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND, "Airflow has no task " + query.taskTitle() + " in " + dagRunId);
    }
    int tryNumber = instance.path("try_number").asInt(0);
    String state = AirflowAdapter.text(instance, "state");
    if (query.attempt() > tryNumber) {
      throw new AdapterException(
          ErrorCode.NOT_FOUND,
          "task " + query.taskTitle() + " has no attempt " + query.attempt() + " (yet)");
    }
    boolean tryFinished = query.attempt() < tryNumber || AirflowStates.tryFinished(state);

    Map<String, String> params = new LinkedHashMap<>();
    params.put("full_content", "false");
    if (key.mapIndex() >= 0) {
      params.put("map_index", String.valueOf(key.mapIndex()));
    }
    if (cursor.token() != null && dialect.continuationTokens()) {
      params.put("token", cursor.token());
    }
    String logPath =
        dialect.taskInstancePath(dagId, dagRunId, key.taskId(), -1) + "/logs/" + query.attempt();
    EngineClient.Answer answer = http.getAnswer(logPath, params);
    if (answer.status() == 400) {
      throw new AdapterException(
          ErrorCode.INVALID_REQUEST, "Airflow refused the cursor" + AirflowHttp.detail(answer));
    }
    if (answer.status() == 500 && !tryFinished) {
      // Airflow 3.2 answers 500 while a running try's log has nothing (new) to read
      // ("Invalid log stream type ... Content type: empty"): no lines yet.
      return new LogPage(List.of(), cursor.encode(), false);
    }
    http.expectOk(answer, "GET", logPath);
    JsonNode body = answer.body() == null ? AirflowHttp.object() : answer.body();
    Instant fallback = AirflowAdapter.time(instance, "start_date");
    List<LogLine> chunk =
        dialect.logLines(body.path("content"), fallback == null ? Instant.EPOCH : fallback);
    String nextToken =
        dialect.continuationTokens() && body.path("continuation_token").isTextual()
            ? body.path("continuation_token").asText()
            : null;

    int from = Math.min(cursor.skip(), chunk.size());
    int to = Math.min(chunk.size(), from + query.limit());
    List<LogLine> lines = chunk.subList(from, to);
    boolean consumedChunk = to == chunk.size();
    // Airflow's token marks the end of what it sent; without one (Airflow 3) the cursor goes on
    // counting lines from the last token, or from the start.
    AirflowLogs.Cursor next =
        consumedChunk && nextToken != null
            ? new AirflowLogs.Cursor(query.attempt(), nextToken, 0)
            : new AirflowLogs.Cursor(query.attempt(), cursor.token(), to);
    Boolean endOfLog = AirflowLogs.endOfLog(nextToken);
    boolean complete = consumedChunk && tryFinished && !Boolean.FALSE.equals(endOfLog);
    return new LogPage(lines, next.encode(), complete);
  }
}
