package io.kaapana.workflow.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.UuidV7;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.fakes.Fakes;
import io.kaapana.workflow.core.fakes.InMemoryWorkflowRepository;
import io.kaapana.workflow.core.port.in.WorkflowCommands.CreateWorkflow;
import io.kaapana.workflow.core.port.in.WorkflowCommands.ValidationVerdict;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges.Part;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowWithRevision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowServiceTest {
  private final InMemoryWorkflowRepository repository = new InMemoryWorkflowRepository();
  private final Fakes.RecordingEventStore events = new Fakes.RecordingEventStore();
  private final Fakes.RecordingAuditLog audit = new Fakes.RecordingAuditLog();
  private final Fakes.MutableClock clock = new Fakes.MutableClock();
  private final WorkflowService service =
      new WorkflowService(
          repository,
          events,
          new Fakes.RequiredOnlyValidator(),
          audit,
          () -> UuidV7.next(clock),
          clock);

  private WorkflowWithRevision create(String title, String definition) {
    return service.create(
        new CreateWorkflow(title, "local", definition, null, Map.of("team", "a"), null, "alice"));
  }

  @Test
  void createStoresRevisionOneWithSystemLabelsAndEvents() {
    WorkflowWithRevision created = create("seg", "tasks: []");
    assertThat(created.created()).isTrue();
    assertThat(created.revision().increment()).isEqualTo(1);
    assertThat(created.revision().parametersSchema()).isEqualTo(Map.of("type", "object"));
    assertThat(created.revision().labels().asMap())
        .containsEntry("team", "a")
        .containsEntry("kaapana.io/workflow-engine", "local")
        .containsEntry("kaapana.io/workflow-id", created.workflow().id().toString());
    assertThat(created.revision().validation().status()).isEqualTo(ValidationStatus.PENDING);
    assertThat(events.types())
        .containsExactly(DomainEvent.WORKFLOW_CREATED, DomainEvent.REVISION_CREATED);
  }

  @Test
  void identicalRepostIsANoOpAndOtherContentIsTitleTaken() {
    WorkflowWithRevision first = create("seg", "tasks: []");
    WorkflowWithRevision again = create("seg", "tasks: []");
    assertThat(again.created()).isFalse();
    assertThat(again.workflow().id()).isEqualTo(first.workflow().id());
    assertThatThrownBy(() -> create("seg", "other"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.TITLE_TAKEN);
              assertThat(e.details())
                  .get()
                  .isInstanceOfSatisfying(
                      ProblemDetails.TitleTaken.class,
                      taken ->
                          assertThat(taken.existingWorkflow().id())
                              .isEqualTo(first.workflow().id()));
            });
  }

  @Test
  void invalidInputNamesEveryField() {
    assertThatThrownBy(
            () ->
                service.create(
                    new CreateWorkflow(
                        "bad title",
                        "Air Flow",
                        " ",
                        Map.of("type", "array"),
                        Map.of(),
                        null,
                        "a")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::path)
                    .containsExactly(
                        FieldPath.of("title"),
                        FieldPath.of("workflowEngine"),
                        FieldPath.of("definition"),
                        FieldPath.of("parametersSchema").key("type")));
    assertThat(events.events).isEmpty();
  }

  @Test
  void patchRenamesInPlaceOrAppendsARevision() {
    WorkflowWithRevision created = create("seg", "v1");
    var renamed = service.patch(created.workflow().id(), retitled("seg2"), null, "alice");
    assertThat(renamed.revision().increment()).isEqualTo(1);
    assertThat(renamed.workflow().title()).isEqualTo("seg2");
    var revised =
        service.patch(
            created.workflow().id(), redefined("v2"), renamed.workflow().version(), "alice");
    assertThat(revised.revision().increment()).isEqualTo(2);
    assertThat(revised.workflow().currentIncrement()).isEqualTo(2);
    assertThat(revised.revision().validation().status()).isEqualTo(ValidationStatus.PENDING);
    var unchanged = service.patch(created.workflow().id(), redefined("v2"), null, "alice");
    assertThat(unchanged.created()).isFalse();
    assertThat(unchanged.revision().increment()).isEqualTo(2);
  }

  @Test
  void patchWithAStaleVersionIsPreconditionFailed() {
    WorkflowWithRevision created = create("seg", "v1");
    assertThatThrownBy(() -> service.patch(created.workflow().id(), retitled("x"), 42L, "a"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED));
  }

  @Test
  void labelsPatchIsAMergePatchThatKeepsImmutableLabels() {
    WorkflowWithRevision created = create("seg", "v1");
    var added =
        service.patch(
            created.workflow().id(), relabeled(Map.of("kaapana.immutable.p", "1")), null, "a");
    assertThat(added.revision().labels().asMap())
        .containsEntry("team", "a")
        .containsEntry("kaapana.immutable.p", "1");
    Map<String, String> removal = new HashMap<>();
    removal.put("kaapana.immutable.p", null);
    assertThatThrownBy(() -> service.patch(created.workflow().id(), relabeled(removal), null, "a"))
        .hasMessageContaining("cannot be removed");
  }

  @Test
  void archivedWorkflowsCannotChangeAndArchivingTwiceIsFine() {
    WorkflowWithRevision created = create("seg", "v1");
    service.archive(created.workflow().id(), null, "a");
    service.archive(created.workflow().id(), null, "a");
    assertThat(events.types()).containsOnlyOnce(DomainEvent.WORKFLOW_ARCHIVED);
    assertThatThrownBy(() -> service.patch(created.workflow().id(), retitled("x"), null, "a"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ARCHIVED));
    assertThat(create("seg", "other").created()).isTrue();
  }

  @Test
  void validationStoresTheTaskGraphAndRefusesDanglingEdges() {
    WorkflowWithRevision created = create("seg", "v1");
    var id = created.workflow().id();
    assertThatThrownBy(
            () ->
                service.recordValidation(
                    id,
                    1,
                    new ValidationVerdict(
                        ValidationStatus.VALID,
                        List.of(),
                        List.of(new TaskDefinition("a", null, null, List.of("b"))),
                        null,
                        "x")))
        .hasMessageContaining("downstream task 'b'");
    var validated =
        service.recordValidation(
            id,
            1,
            new ValidationVerdict(
                ValidationStatus.VALID,
                List.of(),
                List.of(new TaskDefinition("a", "A", "op", List.of())),
                "dag-a",
                "x"));
    assertThat(validated.validation().status()).isEqualTo(ValidationStatus.VALID);
    assertThat(validated.engineRef()).isEqualTo("dag-a");
    assertThat(events.events.get(events.events.size() - 1).to()).isEqualTo("VALID");
  }

  @Test
  void forcedUpdateChangesImmutableLabelsAndIsAudited() {
    var created =
        service.create(
            new CreateWorkflow(
                "seg", "local", "v1", null, Map.of("kaapana.immutable.p", "1"), null, "a"));
    assertThatThrownBy(
            () -> service.forceUpdate(created.workflow().id(), Map.of(), null, " ", "root"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new FieldError(FieldPath.of("reason"), FieldError.FIELD + " is required")));
    var forced =
        service.forceUpdate(
            created.workflow().id(), Map.of("kaapana.immutable.p", "2"), null, "move", "root");
    assertThat(forced.revision().labels().asMap()).containsEntry("kaapana.immutable.p", "2");
    assertThat(audit.actions)
        .containsExactly("root:workflow.force_update:" + created.workflow().id() + ":move");
  }

  private static WorkflowChanges retitled(String title) {
    return new WorkflowChanges(Set.of(Part.TITLE), title, null, null, null, null, null);
  }

  private static WorkflowChanges redefined(String definition) {
    return new WorkflowChanges(Set.of(Part.DEFINITION), null, null, definition, null, null, null);
  }

  private static WorkflowChanges relabeled(Map<String, String> labelsPatch) {
    return new WorkflowChanges(Set.of(Part.LABELS), null, null, null, null, labelsPatch, null);
  }
}
