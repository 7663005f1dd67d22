package io.kaapana.workflow.adapter.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaapana.workflow.adapter.spi.AdapterConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How listed copies and stream events of the same run are reconciled, whatever their order. */
class ArgoWatchTest {

  private final ArgoWatch watch;

  ArgoWatchTest() throws Exception {
    // Nothing listens there: the stream the watch starts keeps failing, which these tests ignore.
    ArgoSettings settings = ArgoSettings.from(AdapterConfig.of("argo.url", "http://127.0.0.1:9"));
    watch = new ArgoWatch(new ArgoHttp(settings), Map.of(), Duration.ofMinutes(5));
  }

  @AfterEach
  void close() {
    watch.close();
  }

  @Test
  void aChangeStreamedWhileTheListWasUnderWayMakesTheListedCopyStale() {
    watch.apply(event("MODIFIED", "a", 12, "Succeeded"));
    watch.listed("a", workflow("a", 10, "Running"), "10");
    assertThat(watch.usable("a")).as("listed before the change the stream saw").isNull();

    watch.apply(event("MODIFIED", "a", 13, "Succeeded"));
    assertThat(phase(watch.usable("a"))).isEqualTo("Succeeded");
  }

  @Test
  void aListedCopyThatIsNewerThanTheStreamedChangeIsUsedAsItIs() {
    watch.apply(event("MODIFIED", "a", 12, "Running"));
    watch.listed("a", workflow("a", 14, "Succeeded"), "14");
    assertThat(phase(watch.usable("a"))).isEqualTo("Succeeded");
  }

  @Test
  void olderEventsAndOlderListsDoNotReplaceANewerCopy() {
    watch.listed("b", workflow("b", 20, "Running"), "20");
    watch.apply(event("MODIFIED", "b", 19, "Pending"));
    assertThat(phase(watch.usable("b"))).isEqualTo("Running");
    watch.listed("b", workflow("b", 18, "Pending"), "18");
    assertThat(phase(watch.usable("b"))).isEqualTo("Running");

    watch.apply(event("MODIFIED", "b", 21, "Failed"));
    assertThat(phase(watch.usable("b"))).isEqualTo("Failed");
    watch.apply(event("DELETED", "b", 22, "Failed"));
    assertThat(watch.usable("b")).isNull();
  }

  @Test
  void aBookmarkMovesTheResumeVersionOnAndChangesNoCopy() {
    watch.listed("d", workflow("d", 40, "Running"), "40");
    ObjectNode bookmark = ArgoHttp.JSON.createObjectNode();
    ObjectNode result = bookmark.putObject("result").put("type", "BOOKMARK");
    result.putObject("object").putObject("metadata").put("resourceVersion", "57");
    assertThat(watch.apply(bookmark)).isFalse();
    assertThat(watch.resourceVersion()).isEqualTo("57");
    assertThat(phase(watch.usable("d"))).isEqualTo("Running");
  }

  @Test
  void copiesAreOnlyServedWhileTheStreamIsConnected() {
    watch.listed("c", workflow("c", 30, "Running"), "30");
    assertThat(watch.usable("c")).isNotNull();
    assertThat(watch.current("c")).as("the stream is not connected").isNull();
  }

  @Test
  void aTooOldResourceVersionEndsTheStream() {
    assertThat(
            watch.apply(
                ArgoHttp.JSON
                    .createObjectNode()
                    .set(
                        "error",
                        ArgoHttp.JSON
                            .createObjectNode()
                            .put("http_code", 410)
                            .put("message", "too old resource version: 1 (5)"))))
        .as("the stream stops reading")
        .isTrue();
  }

  private static ObjectNode workflow(String runId, long version, String phase) {
    ObjectNode workflow = ArgoHttp.JSON.createObjectNode();
    ObjectNode metadata = workflow.putObject("metadata");
    metadata.put("name", "kaapana-" + runId);
    metadata.put("resourceVersion", String.valueOf(version));
    metadata.putObject("labels").put(ArgoNames.RUN_ID_LABEL, runId);
    workflow.putObject("status").put("phase", phase);
    return workflow;
  }

  private static JsonNode event(String type, String runId, long version, String phase) {
    ObjectNode line = ArgoHttp.JSON.createObjectNode();
    line.putObject("result").put("type", type).set("object", workflow(runId, version, phase));
    return line;
  }

  private static String phase(JsonNode workflow) {
    return workflow == null ? null : workflow.path("status").path("phase").asText();
  }
}
