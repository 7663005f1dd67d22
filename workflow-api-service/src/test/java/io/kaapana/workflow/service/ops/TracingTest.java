package io.kaapana.workflow.service.ops;

import static io.kaapana.workflow.service.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.service.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With an OTLP endpoint configured (and nothing else), the service exports traces: a request that
 * carries a W3C {@code traceparent} is traced as part of the caller's trace.
 */
@QuarkusTest
@TestProfile(TracingTest.WithCollector.class)
class TracingTest {
  /** Only the endpoint, as an operator sets it; TracingSwitch turns the SDK on. */
  public static class WithCollector implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OtlpCollector.class));
    }
  }

  @Test
  void aRequestWithATraceparentIsExportedInTheCallersTrace() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    json()
        .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
        .get("/v1/workflows")
        .then()
        .statusCode(200);
    awaitOneExportWith(traceId, "/v1/workflows", "kaapana-workflow-api");
    assertThat(OtlpCollector.EXPORTS).isNotEmpty();
  }

  @Test
  void aClaimHandsTheAdapterTheTraceOfTheRunsCreationAndIsRecordedInIt() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String engine = Api.unique("eng");
    String adapterId = Api.unique("adapter");
    Api.registerAdapter(adapterId, engine, "", List.of(), 60, null);
    String workflowId = Api.createWorkflow(Api.unique("wf"), engine);
    Api.claimedRuns(adapterId); // takes the revision to validate
    String runId =
        json()
            .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
            .body(Map.of("workflow", Map.of("id", workflowId), "parameters", Map.of()))
            .post("/v1/workflow-runs")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    List<Map<String, Object>> claimed = Api.claimedRuns(adapterId);
    assertThat(claimed).extracting(run -> run.get("id")).containsExactly(runId);
    String traceparent = (String) claimed.get(0).get("traceparent");
    assertThat(traceparent)
        .as("the creating request's span, in the caller's trace")
        .matches("00-" + traceId + "-[0-9a-f]{16}-01")
        .isNotEqualTo("00-" + traceId + "-b7ad6b7169203331-01");

    awaitOneExportWith(traceId, "workflow-run claimed", runId);
  }

  /** Waits until one export carries the trace id and each text (a span name, an attribute). */
  private static void awaitOneExportWith(String traceId, String... texts) {
    byte[] rawTraceId = HexFormat.of().parseHex(traceId);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                OtlpCollector.EXPORTS.stream()
                    .anyMatch(
                        body ->
                            contains(body, rawTraceId)
                                && Arrays.stream(texts)
                                    .allMatch(
                                        text ->
                                            contains(
                                                body, text.getBytes(StandardCharsets.UTF_8)))));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
