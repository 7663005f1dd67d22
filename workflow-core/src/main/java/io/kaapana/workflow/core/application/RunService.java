package io.kaapana.workflow.core.application;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.AuditSnapshot;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.StatusReport;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunLifecycle;
import io.kaapana.workflow.core.domain.TaskRunReport;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.core.port.out.AdapterDirectory;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.IdGenerator;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Use cases of runs and task runs. */
public final class RunService implements RunCommands {
  /** Bulk requests touch at most this many runs in one call. */
  public static final int MAX_BULK = 100_000;

  private final WorkflowRepository workflows;
  private final RunRepository runs;
  private final EventStore events;
  private final ParameterValidator parameterValidator;
  private final AdapterDirectory adapters;
  private final AuditLog audit;
  private final IdGenerator ids;
  private final Clock clock;

  public RunService(
      WorkflowRepository workflows,
      RunRepository runs,
      EventStore events,
      ParameterValidator parameterValidator,
      AdapterDirectory adapters,
      AuditLog audit,
      IdGenerator ids,
      Clock clock) {
    this.workflows = workflows;
    this.runs = runs;
    this.events = events;
    this.parameterValidator = parameterValidator;
    this.adapters = adapters;
    this.audit = audit;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public WorkflowRun create(CreateRun command) {
    Workflow workflow = resolveWorkflow(command);
    if (workflow.archived()) {
      throw new WorkflowApiException(
          ErrorCode.WORKFLOW_ARCHIVED,
          "workflow " + workflow.id() + " is archived; it takes no new runs");
    }
    int increment = command.increment() == null ? workflow.currentIncrement() : command.increment();
    WorkflowRevision revision =
        workflows
            .findRevision(workflow.id(), increment)
            .orElseThrow(
                () ->
                    WorkflowApiException.notFound(
                        "revision " + increment + " of workflow " + workflow.id()));
    if (revision.validation().status() == ValidationStatus.INVALID) {
      throw new WorkflowApiException(
          ErrorCode.DEFINITION_INVALID,
          "revision "
              + increment
              + " of workflow "
              + workflow.id()
              + " was found invalid by its engine: "
              + String.join("; ", revision.validation().messages()),
          new ProblemDetails.DefinitionInvalid(revision.validation().messages()));
    }
    Labels runLabels = Labels.fromClient(command.labels(), FieldPath.of("labels"));
    Labels effective = revision.labels().overlay(runLabels);
    Labels.checkImmutableKept(revision.labels(), effective, FieldPath.of("labels"));
    Map<String, String> system = new LinkedHashMap<>();
    system.put(Labels.WORKFLOW_ID, workflow.id().toString());
    system.put(Labels.WORKFLOW_TITLE, workflow.title());
    system.put(Labels.WORKFLOW_ENGINE, workflow.workflowEngine());
    system.put(Labels.REVISION, String.valueOf(increment));
    // The edge has checked the name and the caller's right to the project.
    system.put(Labels.PROJECT, Objects.requireNonNull(command.project(), "project"));
    effective = effective.overlay(Labels.trusted(system));

    Map<String, Object> parameters;
    try {
      parameters =
          parameterValidator.validate(
              revision.parametersSchema(),
              command.parameters() == null ? Map.of() : command.parameters());
    } catch (WorkflowApiException e) {
      throw new WorkflowApiException(
          e.code(),
          e.getMessage(),
          e.errors().stream().map(f -> f.under(FieldPath.of("parameters"))).toList(),
          e.details().orElse(null));
    }

    WorkflowRun run =
        WorkflowRun.create(
            ids.newId(),
            workflow,
            revision,
            effective,
            parameters,
            adapters.servesEngine(workflow.workflowEngine())
                ? null
                : WorkflowRun.noAdapterMessage(workflow.workflowEngine()),
            now());
    runs.insert(run);
    events.append(
        List.of(
            new DomainEvent(
                DomainEvent.RUN_CREATED,
                DomainEvent.ObjectType.WORKFLOW_RUN,
                run.id().toString(),
                run.id(),
                null,
                RunState.CREATED.name(),
                new EventData.RunCreated(workflow.id(), increment),
                command.actor())));
    return run;
  }

  private Workflow resolveWorkflow(CreateRun command) {
    if (command.workflowId() != null) {
      Workflow workflow =
          workflows
              .find(command.workflowId())
              .orElseThrow(() -> WorkflowApiException.notFound("workflow " + command.workflowId()));
      if (command.workflowTitle() != null && !command.workflowTitle().equals(workflow.title())) {
        throw WorkflowApiException.invalid(
            ErrorCode.VALIDATION_FAILED,
            List.of(
                new FieldError(
                    FieldPath.of("workflow").field("title"),
                    "workflow " + workflow.id() + " is titled '" + workflow.title() + "'")));
      }
      return workflow;
    }
    if (command.workflowTitle() != null) {
      return workflows
          .findActiveByTitle(command.workflowTitle())
          .orElseThrow(
              () ->
                  WorkflowApiException.notFound(
                      "active workflow titled '" + command.workflowTitle() + "'"));
    }
    throw WorkflowApiException.invalid(
        ErrorCode.VALIDATION_FAILED,
        List.of(new FieldError(FieldPath.of("workflow"), "{field} needs an id or a title")));
  }

  @Override
  public RequestResult request(
      UUID runId, ActionRequest action, Long expectedVersion, String actor) {
    WorkflowRun run =
        runs.findForUpdate(runId)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + runId));
    WorkflowRules.checkVersion(run.version(), expectedVersion);
    List<DomainEvent> changes = new ArrayList<>();
    WorkflowRun.RequestOutcome outcome = run.request(action, actor, now(), changes);
    if (!changes.isEmpty()) {
      runs.update(run);
      events.append(changes);
    }
    return new RequestResult(run, outcome == WorkflowRun.RequestOutcome.APPLIED);
  }

  @Override
  public RequestResult requestTaskRetry(UUID runId, UUID taskRunId, String reason, String actor) {
    WorkflowRun run =
        runs.findForUpdate(runId)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + runId));
    TaskRun task =
        runs.findTaskRun(runId, taskRunId)
            .orElseThrow(
                () -> WorkflowApiException.notFound("task run " + taskRunId + " of run " + runId));
    Set<Capability> capabilities = adapters.capabilitiesServing(run);
    if (!capabilities.contains(Capability.RETRY_TASK)) {
      throw new WorkflowApiException(
          ErrorCode.NOT_SUPPORTED_BY_ENGINE,
          capabilities.isEmpty()
              ? "no active adapter serves this run, so no engine can retry a single task now"
              : "the adapter serving this run (engine '"
                  + run.workflowEngine()
                  + "') cannot retry single tasks; retry the run instead",
          new ProblemDetails.EngineCapabilities(
              capabilities.stream().map(Enum::name).sorted().toList()));
    }
    List<DomainEvent> changes = new ArrayList<>();
    WorkflowRun.RequestOutcome outcome = run.requestTaskRetry(task, reason, actor, now(), changes);
    if (!changes.isEmpty()) {
      runs.update(run);
      events.append(changes);
    }
    return new RequestResult(run, outcome == WorkflowRun.RequestOutcome.APPLIED);
  }

  @Override
  public BulkResult requestBulk(BulkRequest request) {
    LabelSelector selector = LabelSelector.parse(request.labelSelector());
    if (selector.isEmpty()) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  FieldPath.of("labelSelector"),
                  "{field} must select something; an empty selector would hit every run")));
    }
    // Only runs of the caller's projects; the others are not there for this caller.
    List<WorkflowRun> matched =
        runs.findMatchingForUpdate(
            selector.and(request.scope().selector()), request.states(), MAX_BULK + 1);
    if (matched.size() > MAX_BULK) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(
              new FieldError(
                  FieldPath.of("labelSelector"),
                  "the selector matches more than " + MAX_BULK + " runs; narrow it")));
    }
    Instant now = now();
    List<DomainEvent> changes = new ArrayList<>();
    List<WorkflowRun> changed = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    int applied = 0;
    for (WorkflowRun run : matched) {
      long before = run.version();
      try {
        if (request.dryRun()) {
          run.checkAllowed(request.action());
        } else {
          run.request(request.action(), request.actor(), now, changes);
        }
        applied++;
        if (run.version() != before) {
          changed.add(run);
        }
      } catch (WorkflowApiException e) {
        refused.add(new Refusal(run.id(), e.code()));
      }
    }
    if (!changed.isEmpty()) {
      runs.updateAll(changed);
      events.append(changes);
    }
    return new BulkResult(matched.size(), applied, refused);
  }

  @Override
  public WorkflowRun report(UUID runId, StatusReport report, String actor) {
    checkReport(report);
    WorkflowRun run =
        runs.findForUpdate(runId)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + runId));
    run.checkLease(report.leaseToken());
    Instant now = now();
    long versionBefore = run.version();
    List<DomainEvent> changes = new ArrayList<>();
    run.applyReport(report, actor, now, changes);

    if (!report.taskRuns().isEmpty()) {
      Map<String, TaskRun> existing = new HashMap<>();
      List<TaskRun> all = runs.findTaskRuns(runId);
      for (TaskRun t : all) {
        existing.put(t.taskTitle(), t);
      }
      List<TaskRun> changedTasks = new ArrayList<>();
      for (TaskRunReport taskReport : report.taskRuns()) {
        Optional<TaskRun> next =
            TaskRunLifecycle.apply(
                existing.get(taskReport.taskTitle()),
                taskReport,
                runId,
                ids::newId,
                actor,
                now,
                changes);
        next.ifPresent(
            t -> {
              changedTasks.add(t);
              existing.put(t.taskTitle(), t);
            });
      }
      if (!changedTasks.isEmpty()) {
        runs.saveTaskRuns(changedTasks);
        run.replaceTaskRunCounts(TaskRunLifecycle.counts(existing.values()), now);
      }
    }
    if (run.version() != versionBefore) {
      runs.update(run);
    }
    if (!changes.isEmpty()) {
      events.append(changes);
    }
    return run;
  }

  private static void checkReport(StatusReport report) {
    List<FieldError> errors = new ArrayList<>();
    if (report.leaseToken() == null) {
      errors.add(new FieldError(FieldPath.of("leaseToken"), "{field} is required"));
    }
    if (report.state() == null) {
      errors.add(new FieldError(FieldPath.of("lifecycleStatus"), "{field} is required"));
    }
    if (report.attempt() < 1) {
      errors.add(new FieldError(FieldPath.of("attempt"), "{field} must be 1 or more"));
    }
    Set<String> titles = new HashSet<>();
    for (int i = 0; i < report.taskRuns().size(); i++) {
      TaskRunReport t = report.taskRuns().get(i);
      FieldPath at = FieldPath.of("taskRuns").index(i);
      if (t.taskTitle() == null || t.taskTitle().isBlank()) {
        errors.add(new FieldError(at.field("taskTitle"), "{field} is required"));
      } else if (t.taskTitle().length() > 512) {
        errors.add(new FieldError(at.field("taskTitle"), "{field} must be at most 512 characters"));
      } else if (!titles.add(t.taskTitle())) {
        errors.add(
            new FieldError(
                at.field("taskTitle"), "task '" + t.taskTitle() + "' is reported twice"));
      }
      if (t.state() == null) {
        errors.add(new FieldError(at.field("lifecycleStatus"), "{field} is required"));
      }
      if (t.attempt() < 1) {
        errors.add(new FieldError(at.field("attempt"), "{field} must be 1 or more"));
      }
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
  }

  @Override
  public WorkflowRun forceUpdate(
      UUID runId,
      Map<String, String> labels,
      RunState state,
      String statusMessage,
      String reason,
      String actor) {
    if (reason == null || reason.isBlank()) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPath.of("reason"), "{field} is required")));
    }
    WorkflowRun run =
        runs.findForUpdate(runId)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + runId));
    Labels newLabels = null;
    if (labels != null) {
      Map<String, String> system = new LinkedHashMap<>();
      run.labels()
          .asMap()
          .forEach(
              (k, v) -> {
                if (k.startsWith(Labels.SYSTEM_PREFIX)) {
                  system.put(k, v);
                }
              });
      newLabels = Labels.fromClient(labels, FieldPath.of("labels")).overlay(Labels.trusted(system));
    }
    AuditSnapshot before = AuditSnapshot.Run.of(run);
    List<DomainEvent> changes = new ArrayList<>();
    run.forceUpdate(newLabels, state, statusMessage, reason, actor, now(), changes);
    runs.update(run);
    events.append(changes);
    audit.record(
        actor,
        "workflow_run.force_update",
        "workflow_run",
        runId.toString(),
        before,
        AuditSnapshot.Run.of(run),
        reason);
    return run;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
