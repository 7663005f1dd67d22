package io.kaapana.workflow.adapter.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogPage.Severity;
import io.kaapana.workflow.adapter.support.EngineClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AirflowLogsTest {
  private static final Instant START = Instant.parse("2026-11-26T20:00:00Z");

  @Test
  void airflow2LinesKeepTimeLevelAndSourceAndTracebacksContinueTheirLine() {
    String text =
        String.join(
            "\n",
            "[2026-11-26T20:20:47.067+0000] {subprocess.py:106} INFO - fetching 3 series",
            "[2026-11-26T20:20:48.001+0000] {taskinstance.py:3311} ERROR - Task failed",
            "Traceback (most recent call last):",
            "  File \"x.py\", line 1, in <module>",
            "[2026-11-26T20:20:48.002+0000] {logging_mixin.py:190} WARNING - disk almost full",
            " INFO - ::group::Pre task execution logs",
            "*** Found local files:",
            "");
    List<LogLine> lines = AirflowLogs.parseText(text, START);
    assertThat(lines)
        .extracting(l -> l.severity() + " " + l.message())
        .containsExactly(
            "INFO fetching 3 series",
            "ERROR Task failed",
            "ERROR Traceback (most recent call last):",
            "ERROR   File \"x.py\", line 1, in <module>",
            "WARNING disk almost full",
            "DEBUG *** Found local files:");
    assertThat(lines.get(0).time()).isEqualTo(Instant.parse("2026-11-26T20:20:47.067Z"));
    assertThat(lines.get(0).metadata()).containsEntry("location", "subprocess.py:106");
    assertThat(lines.get(2).time())
        .as("a continuation keeps its line's time")
        .isEqualTo(lines.get(1).time());
    assertThat(lines.get(2).metadata()).containsEntry("continuation", "true");
  }

  @Test
  void airflow2ContentIsAPythonLiteralOfHostTextPairs() throws Exception {
    JsonNode answer = logAnswer("airflow-2.11.2.ndjson");
    assertThat(answer.path("content").asText()).startsWith("[(");
    List<LogLine> lines = AirflowDialect.AIRFLOW_2.logLines(answer.path("content"), START);
    assertThat(lines).extracting(LogLine::message).contains("fetching 3 series for anonymous");
    assertThat(lines)
        .extracting(LogLine::message)
        .noneMatch(m -> m.startsWith("[('") || m.contains("::group::"));
  }

  @Test
  void airflow3ContentIsStructuredEntries() throws Exception {
    JsonNode answer = logAnswer("airflow-3.2.2.ndjson");
    assertThat(answer.path("content").isArray()).isTrue();
    List<LogLine> lines = AirflowDialect.AIRFLOW_3.logLines(answer.path("content"), START);
    LogLine fetched =
        lines.stream()
            .filter(l -> l.message().equals("fetching 3 series for anonymous"))
            .findFirst()
            .orElseThrow();
    assertThat(fetched.severity()).isEqualTo(Severity.INFO);
    assertThat(fetched.time()).isAfter(START);
    assertThat(fetched.metadata()).containsKey("logger");
  }

  @Test
  void airflow3EntriesWithLevelsAndStrings() throws Exception {
    JsonNode content =
        AirflowHttp.JSON.readTree(
            "[{\"event\":\"weights missing\",\"level\":\"error\",\"timestamp\":\"2026-11-26T20:00:01.5Z\","
                + "\"logger\":\"task\"},\"a plain line\",{\"event\":\"::endgroup::\"}]");
    List<LogLine> lines = AirflowLogs.parseAirflow3(content, START);
    assertThat(lines)
        .extracting(l -> l.severity() + " " + l.message())
        .containsExactly("ERROR weights missing", "INFO a plain line");
    assertThat(lines.get(0).time()).isEqualTo(Instant.parse("2026-11-26T20:00:01.5Z"));
  }

  @Test
  void cursorsRoundTripAndRefuseStrangersAndOtherAttempts() throws Exception {
    AirflowLogs.Cursor cursor = new AirflowLogs.Cursor(2, "eyJsb2dfcG9zIjo1fQ.sig", 7);
    assertThat(AirflowLogs.Cursor.decode(cursor.encode(), 2)).isEqualTo(cursor);
    assertThat(AirflowLogs.Cursor.decode(null, 1)).isEqualTo(new AirflowLogs.Cursor(1, null, 0));
    assertThatThrownBy(() -> AirflowLogs.Cursor.decode(cursor.encode(), 1))
        .isInstanceOfSatisfying(
            AdapterException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    for (String bad : List.of("not-a-cursor!", "e30", "eyJhIjoxLCJzIjotMX0")) {
      assertThatThrownBy(() -> AirflowLogs.Cursor.decode(bad, 1))
          .as(bad)
          .isInstanceOfSatisfying(
              AdapterException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
  }

  @Test
  void airflowsTokenTellsWhetherTheLogEnded() {
    // {"end_of_log":true,"log_pos":2680} with Airflow's signature, as Airflow 2.11 sent it.
    assertThat(
            AirflowLogs.endOfLog(
                "eyJlbmRfb2ZfbG9nIjp0cnVlLCJsb2dfcG9zIjoyNjgwfQ.4UQYsrsMX5_7hR5n1pl5AyhHQ6A"))
        .isTrue();
    assertThat(AirflowLogs.endOfLog("eyJlbmRfb2ZfbG9nIjpmYWxzZX0.x")).isFalse();
    assertThat(AirflowLogs.endOfLog("garbage")).isNull();
    assertThat(AirflowLogs.endOfLog(null)).isNull();
  }

  @Test
  void pythonLiteralsWithEveryEscapeAirflowWrites() {
    assertThat(
            PythonLiteral.textsOfPairs("[('vm', 'a\\nb\\'c\\\\d\\x41\\u00e9'), (\"h\", \"it's\")]"))
        .containsExactly("a\nb'c\\dAé", "it's");
    assertThat(PythonLiteral.textsOfPairs("[]")).isEmpty();
    assertThat(PythonLiteral.textsOfPairs("plain text")).isNull();
    assertThat(PythonLiteral.textsOfPairs("[('vm', 'unterminated")).isNull();
    assertThat(PythonLiteral.textsOfPairs("[('vm', 'x')] trailing")).isNull();
  }

  /** The first successful log answer for the task "fetch" in a recorded TCK run. */
  private static JsonNode logAnswer(String file) throws Exception {
    for (EngineClient.Exchange exchange : RecordedExchangesMatchOpenApiTest.canned(file)) {
      if (exchange.path().endsWith("/taskInstances/fetch/logs/1") && exchange.status() == 200) {
        return AirflowHttp.JSON.readTree(exchange.responseBody());
      }
    }
    throw new AssertionError("no log answer of fetch in " + file);
  }
}
