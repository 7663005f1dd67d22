package io.kaapana.workflow.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.ProjectScope;
import io.kaapana.workflow.core.domain.RequestedAction;
import io.kaapana.workflow.core.domain.RetryScope;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.StatusReport;
import io.kaapana.workflow.core.domain.TaskRunReport;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.UuidV7;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.fakes.Fakes;
import io.kaapana.workflow.core.fakes.InMemoryRunRepository;
import io.kaapana.workflow.core.fakes.InMemoryWorkflowRepository;
import io.kaapana.workflow.core.port.in.RunCommands.BulkRequest;
import io.kaapana.workflow.core.port.in.RunCommands.CreateRun;
import io.kaapana.workflow.core.port.in.WorkflowCommands.CreateWorkflow;
import io.kaapana.workflow.core.port.in.WorkflowCommands.ValidationVerdict;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunServiceTest {
  private final InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
  private final InMemoryRunRepository runs = new InMemoryRunRepository();
  private final Fakes.RecordingEventStore events = new Fakes.RecordingEventStore();
  private final Fakes.FixedCapabilities adapters = new Fakes.FixedCapabilities();
  private final Fakes.RecordingAuditLog audit = new Fakes.RecordingAuditLog();
  private final Fakes.MutableClock clock = new Fakes.MutableClock();
  private final Fakes.RequiredOnlyValidator validator = new Fakes.RequiredOnlyValidator();
  private final WorkflowService workflowService =
      new WorkflowService(workflows, events, validator, audit, () -> UuidV7.next(clock), clock);
  private final RunService service =
      new RunService(
          workflows, runs, events, validator, adapters, audit, () -> UuidV7.next(clock), clock);
  private UUID workflowId;

  @BeforeEach
  void workflow() {
    workflowId =
        workflowService
            .create(
                new CreateWorkflow(
                    "seg",
                    "local",
                    "v1",
                    Map.of("type", "object", "properties", Map.of("n", Map.of("default", 3))),
                    Map.of("team", "a"),
                    null,
                    "a"))
            .workflow()
            .id();
  }

  private WorkflowRun newRun(Map<String, String> labels) {
    return newRun(labels, "project-a");
  }

  private WorkflowRun newRun(Map<String, String> labels, String project) {
    return service.create(
        new CreateRun(workflowId, null, null, Map.of(), labels, project, "alice"));
  }

  private UUID claim(WorkflowRun run) {
    UUID token = UUID.randomUUID();
    run.claim("adapter-1", token, clock.instant(), new java.util.ArrayList<>());
    runs.update(run);
    return token;
  }

  private StatusReport report(UUID token, RunState state, int attempt, TaskRunReport... tasks) {
    return new StatusReport(token, state, attempt, null, null, null, null, null, List.of(tasks));
  }

  @Test
  void createValidatesAppliesDefaultsAndLabels() {
    WorkflowRun run = newRun(Map.of("kaapana.experiment", "e1"));
    assertThat(run.state()).isEqualTo(RunState.CREATED);
    assertThat(run.parameters()).containsEntry("n", 3);
    assertThat(run.labels().asMap())
        .containsEntry("team", "a")
        .containsEntry("kaapana.experiment", "e1")
        .containsEntry("kaapana.io/workflow-title", "seg")
        .containsEntry("kaapana.io/revision", "1");
    assertThat(run.awaitingClaim()).isTrue();
    assertThat(events.types()).endsWith(DomainEvent.RUN_CREATED);
  }

  @Test
  void createByTitleAndRefusals() {
    assertThat(
            service
                .create(new CreateRun(null, "seg", 1, Map.of(), Map.of(), "project-a", "a"))
                .workflowId())
        .isEqualTo(workflowId);
    assertThatThrownBy(
            () ->
                service.create(
                    new CreateRun(null, "nope", null, Map.of(), Map.of(), "project-a", "a")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    workflowService.recordValidation(
        workflowId,
        1,
        new ValidationVerdict(ValidationStatus.INVALID, List.of("bad"), null, null, "x"));
    assertThatThrownBy(() -> newRun(Map.of()))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.DEFINITION_INVALID));
  }

  @Test
  void anUnchangedReportWritesNothing() {
    WorkflowRun run = newRun(Map.of());
    UUID token = claim(run);
    TaskRunReport task = new TaskRunReport("a", TaskRunState.RUNNING, 1, null, null, null, null);
    service.report(run.id(), report(token, RunState.RUNNING, 1, task), "adapter");
    int runWrites = runs.runWrites;
    int taskWrites = runs.taskRunWrites;
    int eventCount = events.events.size();
    service.report(run.id(), report(token, RunState.RUNNING, 1, task), "adapter");
    assertThat(runs.runWrites).isEqualTo(runWrites);
    assertThat(runs.taskRunWrites).isEqualTo(taskWrites);
    assertThat(events.events).hasSize(eventCount);
  }

  @Test
  void staleLeaseIsRefused() {
    WorkflowRun run = newRun(Map.of());
    claim(run);
    assertThatThrownBy(
            () -> service.report(run.id(), report(UUID.randomUUID(), RunState.RUNNING, 1), "x"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEASE_LOST));
  }

  @Test
  void retryRunsANewAttemptAndClearsTheRequest() {
    WorkflowRun run = newRun(Map.of());
    UUID token = claim(run);
    service.report(run.id(), report(token, RunState.ERROR, 1), "adapter");
    var requested =
        service.request(run.id(), ActionRequest.retry(RetryScope.ALL, "again"), null, "alice");
    assertThat(requested.applied()).isFalse();
    assertThat(requested.run().actionRequest().scope()).isEqualTo(RetryScope.ALL);
    clock.advance(Duration.ofSeconds(5));
    WorkflowRun after = service.report(run.id(), report(token, RunState.RUNNING, 2), "adapter");
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(after.requestedAction()).isNull();
    assertThat(after.finishedAt()).isNull();
    assertThat(events.types()).contains(DomainEvent.RUN_ACTION_COMPLETED);
  }

  @Test
  void taskCountsFollowTaskReports() {
    WorkflowRun run = newRun(Map.of());
    UUID token = claim(run);
    WorkflowRun after =
        service.report(
            run.id(),
            report(
                token,
                RunState.RUNNING,
                1,
                new TaskRunReport("a", TaskRunState.COMPLETED, 1, null, null, null, null),
                new TaskRunReport("b", TaskRunState.RUNNING, 1, null, null, null, null)),
            "adapter");
    assertThat(after.taskRunCounts())
        .isEqualTo(Map.of(TaskRunState.COMPLETED, 1, TaskRunState.RUNNING, 1));
    assertThatThrownBy(
            () ->
                service.report(
                    run.id(),
                    report(
                        token,
                        RunState.RUNNING,
                        1,
                        new TaskRunReport("a", TaskRunState.COMPLETED, 1, null, null, null, null),
                        new TaskRunReport("a", TaskRunState.COMPLETED, 1, null, null, null, null)),
                    "adapter"))
        .hasMessageContaining("reported twice");
  }

  @Test
  void taskRetryNeedsTheCapability() {
    WorkflowRun run = newRun(Map.of());
    UUID token = claim(run);
    service.report(
        run.id(),
        report(
            token,
            RunState.ERROR,
            1,
            new TaskRunReport("a", TaskRunState.ERROR, 1, null, null, null, null)),
        "x");
    UUID taskId = runs.findTaskRuns(run.id()).get(0).id();
    assertThatThrownBy(() -> service.requestTaskRetry(run.id(), taskId, null, "alice"))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_SUPPORTED_BY_ENGINE));
    adapters.capabilities = EnumSet.of(Capability.RETRY_TASK);
    var result = service.requestTaskRetry(run.id(), taskId, "flaky", "alice");
    assertThat(result.run().actionRequest()).isEqualTo(ActionRequest.retryTask("a", "flaky"));
  }

  @Test
  void bulkAppliesWhereAllowedAndDryRunWritesNothing() {
    WorkflowRun a = newRun(Map.of("kaapana.experiment", "x"));
    WorkflowRun b = newRun(Map.of("kaapana.experiment", "x"));
    newRun(Map.of("kaapana.experiment", "y"));
    service.request(b.id(), ActionRequest.cancel(false, null), null, "alice");
    int eventCount = events.events.size();
    var dry =
        service.requestBulk(
            new BulkRequest(
                "kaapana.experiment=x",
                Set.of(),
                ActionRequest.cancel(false, null),
                true,
                ProjectScope.all(),
                "alice"));
    assertThat(dry.matched()).isEqualTo(2);
    assertThat(dry.applied()).isEqualTo(1);
    assertThat(dry.refused()).extracting(r -> r.runId()).containsExactly(b.id());
    assertThat(events.events).hasSize(eventCount);
    var real =
        service.requestBulk(
            new BulkRequest(
                "kaapana.experiment=x",
                Set.of(RunState.CREATED),
                ActionRequest.cancel(false, null),
                false,
                ProjectScope.all(),
                "alice"));
    assertThat(real.applied()).isEqualTo(1);
    assertThat(runs.findForUpdate(a.id()).orElseThrow().state()).isEqualTo(RunState.CANCELED);
  }

  @Test
  void aRunCarriesItsProjectAndBulkStaysInTheCallersProjects() {
    WorkflowRun inA = newRun(Map.of("kaapana.experiment", "z"), "project-a");
    WorkflowRun inB = newRun(Map.of("kaapana.experiment", "z"), "project-b");
    assertThat(inA.labels().get("kaapana.io/project")).isEqualTo("project-a");
    var result =
        service.requestBulk(
            new BulkRequest(
                "kaapana.experiment=z",
                Set.of(),
                ActionRequest.cancel(false, null),
                false,
                ProjectScope.of(Set.of("project-a")),
                "alice"));
    assertThat(result.matched()).isEqualTo(1);
    assertThat(runs.findForUpdate(inA.id()).orElseThrow().state()).isEqualTo(RunState.CANCELED);
    assertThat(runs.findForUpdate(inB.id()).orElseThrow().state()).isEqualTo(RunState.CREATED);
    var none =
        service.requestBulk(
            new BulkRequest(
                "kaapana.experiment=z",
                Set.of(),
                ActionRequest.cancel(false, null),
                true,
                ProjectScope.of(Set.of()),
                "alice"));
    assertThat(none.matched()).isZero();
  }

  @Test
  void aClientCannotSetTheProjectLabel() {
    assertThatThrownBy(() -> newRun(Map.of("kaapana.io/project", "project-b"), "project-a"))
        .isInstanceOf(WorkflowApiException.class);
  }

  @Test
  void forcedUpdateKeepsSystemLabelsAndIsAudited() {
    WorkflowRun run = newRun(Map.of());
    WorkflowRun forced =
        service.forceUpdate(run.id(), Map.of("x", "y"), RunState.ERROR, "lost", "INC-1", "root");
    assertThat(forced.state()).isEqualTo(RunState.ERROR);
    assertThat(forced.labels().asMap())
        .containsEntry("x", "y")
        .containsKey("kaapana.io/workflow-id")
        .containsEntry("kaapana.io/project", "project-a")
        .doesNotContainKey("team");
    assertThat(audit.actions).hasSize(1);
    assertThat(forced.requestedAction()).isNull();
    assertThat(RequestedAction.values()).hasSize(2);
  }
}
