package io.kaapana.workflow.service.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.ReleaseReason;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RetryScope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The event catalogue's {@code data} members, as the first release wrote them (and as {@code
 * docs/events.md} lists them): an event's data must keep its names whatever its record is called.
 */
class StoredEventDataTest {
  private static final UUID WORKFLOW = UUID.fromString("7b0c5f3e-8a61-4c1e-9f59-2d1c8e4b6a10");

  /** One sample of every kind of event data, with what its row holds. */
  private static final Map<EventData, Map<String, Object>> CATALOGUE = catalogue();

  private static Map<EventData, Map<String, Object>> catalogue() {
    Map<EventData, Map<String, Object>> c = new LinkedHashMap<>();
    c.put(EventData.NONE, Map.of());
    c.put(new EventData.WorkflowCreated("seg"), Map.of("title", "seg"));
    c.put(
        new EventData.WorkflowUpdated("seg-2", "seg"),
        Map.of("title", "seg-2", "previous_title", "seg"));
    c.put(
        new EventData.WorkflowForced("seg-2", "typo"), Map.of("title", "seg-2", "reason", "typo"));
    c.put(
        new EventData.WorkflowValidated(2, List.of("ok"), "dag-7"),
        Map.of("increment", 2, "messages", List.of("ok"), "engine_ref", "dag-7"));
    c.put(
        new EventData.WorkflowDeleted(3, 9, 40, 2),
        Map.of("workflow_runs", 3L, "task_runs", 9L, "events", 40L, "revisions", 2L));
    c.put(
        new EventData.RevisionCreated(2, "sha256:ab"),
        Map.of("increment", 2, "spec_hash", "sha256:ab"));
    c.put(
        new EventData.RunCreated(WORKFLOW, 2),
        Map.of("workflow_id", WORKFLOW.toString(), "increment", 2));
    c.put(EventData.RunStateChanged.newAttempt(2, 1), Map.of("attempt", 2, "previous_attempt", 1));
    c.put(
        new EventData.RunAction(RequestedAction.RETRY, RetryScope.FAILED, false, "again"),
        Map.of("action", "RETRY", "scope", "FAILED", "reason", "again"));
    c.put(
        new EventData.TaskRetryRequested("fetch", ""),
        Map.of("action", "RETRY", "task_title", "fetch", "reason", ""));
    c.put(
        new EventData.RunClaimed("airflow-b", "airflow-a"),
        Map.of("adapter_id", "airflow-b", "previous_adapter_id", "airflow-a"));
    c.put(new EventData.RunReleased(ReleaseReason.ADAPTER_LOST), Map.of("reason", "adapter-lost"));
    c.put(
        new EventData.RunForced("stuck", Map.of("a", "1"), Map.of("a", "2")),
        Map.of(
            "reason",
            "stuck",
            "labels_before",
            Map.of("a", "1"),
            "labels_after",
            Map.of("a", "2")));
    c.put(
        new EventData.TaskRunStateChanged("fetch", 1), Map.of("task_title", "fetch", "attempt", 1));
    c.put(
        new EventData.AdapterRegistered("airflow", "team=a"),
        Map.of("workflow_engine", "airflow", "label_selector", "team=a"));
    return c;
  }

  @Test
  void everyKindOfEventDataIsStoredUnderItsCataloguedNames() {
    assertThat(CATALOGUE.keySet().stream().map(Object::getClass).collect(Collectors.toSet()))
        .as("a sample of every kind of event data")
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(EventData.class.getPermittedSubclasses()));
    CATALOGUE.forEach(
        (data, stored) ->
            assertThat(StoredEventData.of(data)).as(data.toString()).isEqualTo(stored));
  }

  @Test
  void membersWithoutAValueAreLeftOut() {
    assertThat(StoredEventData.of(EventData.RunStateChanged.onAttempt(1)))
        .isEqualTo(Map.of("attempt", 1));
    assertThat(StoredEventData.of(EventData.RunStateChanged.canceled("user")))
        .isEqualTo(Map.of("reason", "user"));
    assertThat(StoredEventData.of(new EventData.WorkflowUpdated("seg", null)))
        .isEqualTo(Map.of("title", "seg"));
    assertThat(StoredEventData.of(new EventData.RunClaimed("a", null)))
        .isEqualTo(Map.of("adapter_id", "a"));
    assertThat(StoredEventData.of(new EventData.RunForced("r", null, null)))
        .isEqualTo(Map.of("reason", "r"));
    assertThat(StoredEventData.of(new EventData.WorkflowValidated(1, List.of(), null)))
        .isEqualTo(Map.of("increment", 1, "messages", List.of()));
    assertThat(
            StoredEventData.of(new EventData.RunAction(RequestedAction.CANCEL, null, true, null)))
        .isEqualTo(Map.of("action", "CANCEL", "force", true));
    assertThat(StoredEventData.of(EventData.RunAction.of(RequestedAction.CANCEL)))
        .isEqualTo(Map.of("action", "CANCEL"));
  }
}
