package io.kaapana.workflow.core.application;

import io.kaapana.workflow.core.domain.AuditSnapshot;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.MergePatch;
import io.kaapana.workflow.core.domain.ProblemDetails;
import io.kaapana.workflow.core.domain.Validation;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.port.in.WorkflowCommands;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges;
import io.kaapana.workflow.core.port.in.WorkflowCommands.WorkflowChanges.Part;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.IdGenerator;
import io.kaapana.workflow.core.port.out.ParameterValidator;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** Use cases of workflows and revisions. */
public final class WorkflowService implements WorkflowCommands {

  private final WorkflowRepository workflows;
  private final EventStore events;
  private final ParameterValidator parameterValidator;
  private final AuditLog audit;
  private final IdGenerator ids;
  private final Clock clock;

  public WorkflowService(
      WorkflowRepository workflows,
      EventStore events,
      ParameterValidator parameterValidator,
      AuditLog audit,
      IdGenerator ids,
      Clock clock) {
    this.workflows = workflows;
    this.events = events;
    this.parameterValidator = parameterValidator;
    this.audit = audit;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public WorkflowWithRevision create(CreateWorkflow command) {
    List<FieldError> errors = new ArrayList<>();
    WorkflowRules.checkTitle(command.title(), errors);
    if (command.workflowEngine() == null
        || !WorkflowRules.ENGINE.matcher(command.workflowEngine()).matches()) {
      errors.add(
          new FieldError(
              FieldPath.of("workflowEngine"),
              "{field} must be 1 to 63 lower-case letters, digits, '.', '_' or '-',"
                  + " e.g. 'airflow'"));
    }
    WorkflowRules.checkDefinition(command.definition(), errors);
    Map<String, Object> schema =
        command.parametersSchema() == null ? Map.of("type", "object") : command.parametersSchema();
    errors.addAll(
        WorkflowRules.under(
            FieldPath.of("parametersSchema"), parameterValidator.checkSchema(schema)));
    Labels clientLabels = Labels.fromClient(command.labels(), FieldPath.of("labels"));
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    String specHash = WorkflowRevision.specHash(command.definition(), schema, clientLabels);

    var existing = workflows.findActiveByTitle(command.title());
    if (existing.isPresent()) {
      return sameOrTitleTaken(existing.get(), command.workflowEngine(), specHash);
    }

    Instant now = now();
    Workflow workflow =
        new Workflow(
            ids.newId(),
            command.title(),
            command.workflowEngine(),
            command.description(),
            false,
            1,
            now,
            now,
            1);
    WorkflowRevision revision =
        new WorkflowRevision(
            workflow.id(),
            1,
            command.definition(),
            schema,
            WorkflowRules.withSystemLabels(clientLabels, workflow),
            specHash,
            now,
            Validation.pending(),
            List.of(),
            null);
    if (!workflows.insert(workflow)) {
      // A concurrent create of the same title committed first: answer as if it had been first.
      Workflow winner = workflows.findActiveByTitle(command.title()).orElseThrow();
      return sameOrTitleTaken(winner, command.workflowEngine(), specHash);
    }
    workflows.insertRevision(revision);
    List<DomainEvent> changes = new ArrayList<>();
    changes.add(
        workflowEvent(
            DomainEvent.WORKFLOW_CREATED,
            workflow,
            null,
            null,
            new EventData.WorkflowCreated(workflow.title()),
            command.actor()));
    changes.add(revisionEvent(revision, command.actor()));
    events.append(changes);
    return new WorkflowWithRevision(workflow, revision, true);
  }

  @Override
  public WorkflowWithRevision patch(
      UUID id, WorkflowChanges requested, Long expectedVersion, String actor) {
    Workflow workflow =
        workflows
            .findForUpdate(id)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow " + id));
    WorkflowRules.checkVersion(workflow.version(), expectedVersion);
    if (workflow.archived()) {
      throw new WorkflowApiException(
          ErrorCode.WORKFLOW_ARCHIVED, "workflow " + id + " is archived and cannot change");
    }
    List<FieldError> errors = new ArrayList<>();
    WorkflowRevision current =
        workflows.findRevision(id, workflow.currentIncrement()).orElseThrow();

    if (requested.has(Part.WORKFLOW_ENGINE)
        && !workflow.workflowEngine().equals(requested.workflowEngine())) {
      errors.add(
          new FieldError(
              FieldPath.of("workflowEngine"),
              "{field} cannot change; create a new workflow instead"));
    }
    String title = workflow.title();
    if (requested.has(Part.TITLE)) {
      WorkflowRules.checkTitle(requested.title(), errors);
      title = requested.title();
    }
    String description =
        requested.has(Part.DESCRIPTION) ? requested.description() : workflow.description();
    String definition = current.definition();
    if (requested.has(Part.DEFINITION)) {
      definition = requested.definition();
      WorkflowRules.checkDefinition(definition, errors);
    }
    Map<String, Object> schema = current.parametersSchema();
    if (requested.has(Part.PARAMETERS_SCHEMA)) {
      Object patched = MergePatch.apply(schema, requested.parametersSchemaPatch());
      if (patched instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> asSchema = (Map<String, Object>) m;
        schema = asSchema;
        errors.addAll(
            WorkflowRules.under(
                FieldPath.of("parametersSchema"), parameterValidator.checkSchema(schema)));
      } else {
        errors.add(new FieldError(FieldPath.of("parametersSchema"), "{field} must be an object"));
      }
    }
    Labels clientLabels = current.labels().withoutSystemLabels();
    if (requested.has(Part.LABELS)) {
      Map<String, String> merged = new LinkedHashMap<>(clientLabels.asMap());
      requested
          .labelsPatch()
          .forEach(
              (key, value) -> {
                if (value == null) {
                  merged.remove(key);
                } else {
                  merged.put(key, value);
                }
              });
      clientLabels = Labels.fromClient(merged, FieldPath.of("labels"));
      Labels.checkImmutableKept(current.labels(), clientLabels, FieldPath.of("labels"));
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }

    Instant now = now();
    List<DomainEvent> changes = new ArrayList<>();
    WorkflowRevision revision = current;
    String specHash = WorkflowRevision.specHash(definition, schema, clientLabels);
    if (!specHash.equals(current.specHash())) {
      revision =
          new WorkflowRevision(
              id,
              current.increment() + 1,
              definition,
              schema,
              WorkflowRules.withSystemLabels(clientLabels, workflow),
              specHash,
              now,
              Validation.pending(),
              List.of(),
              null);
      workflows.insertRevision(revision);
      workflow = workflow.withCurrentIncrement(revision.increment(), now);
      changes.add(revisionEvent(revision, actor));
    }
    if (!Objects.equals(title, workflow.title())
        || !Objects.equals(description, workflow.description())) {
      EventData data =
          new EventData.WorkflowUpdated(
              title, Objects.equals(title, workflow.title()) ? null : workflow.title());
      workflow = workflow.renamed(title, description, now);
      changes.add(workflowEvent(DomainEvent.WORKFLOW_UPDATED, workflow, null, null, data, actor));
    }
    if (!changes.isEmpty()) {
      workflows.update(workflow);
      events.append(changes);
    }
    return new WorkflowWithRevision(workflow, revision, !changes.isEmpty());
  }

  @Override
  public void archive(UUID id, Long expectedVersion, String actor) {
    Workflow workflow =
        workflows
            .findForUpdate(id)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow " + id));
    WorkflowRules.checkVersion(workflow.version(), expectedVersion);
    if (workflow.archived()) {
      return;
    }
    Workflow archived = workflow.archive(now());
    workflows.update(archived);
    events.append(
        List.of(
            workflowEvent(
                DomainEvent.WORKFLOW_ARCHIVED, archived, "false", "true", EventData.NONE, actor)));
  }

  @Override
  public WorkflowRevision recordValidation(
      UUID workflowId, int increment, ValidationVerdict verdict) {
    Workflow workflow =
        workflows
            .findForUpdate(workflowId)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow " + workflowId));
    WorkflowRevision revision =
        workflows
            .findRevision(workflowId, increment)
            .orElseThrow(
                () ->
                    WorkflowApiException.notFound(
                        "revision " + increment + " of workflow " + workflowId));
    if (verdict.status() == null || verdict.status() == ValidationStatus.PENDING) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPath.of("status"), "{field} must be VALID or INVALID")));
    }
    if (verdict.tasks() != null) {
      List<FieldError> errors = new ArrayList<>();
      Set<String> titles = new java.util.HashSet<>();
      for (int i = 0; i < verdict.tasks().size(); i++) {
        var task = verdict.tasks().get(i);
        if (task.title() == null || task.title().isBlank()) {
          errors.add(
              new FieldError(
                  FieldPath.of("tasks").index(i).field("title"), "task title must not be empty"));
        } else if (!titles.add(task.title())) {
          errors.add(
              new FieldError(
                  FieldPath.of("tasks").index(i).field("title"),
                  "task title '" + task.title() + "' appears twice"));
        }
      }
      for (int i = 0; i < verdict.tasks().size(); i++) {
        for (String down : verdict.tasks().get(i).downstream()) {
          if (!titles.contains(down)) {
            errors.add(
                new FieldError(
                    FieldPath.of("tasks").index(i).field("downstream"),
                    "downstream task '" + down + "' is not in the task list"));
          }
        }
      }
      if (!errors.isEmpty()) {
        throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
      }
    }
    ValidationStatus before = revision.validation().status();
    WorkflowRevision updated =
        revision.validated(
            new Validation(verdict.status(), verdict.messages(), now(), verdict.adapterId()),
            verdict.tasks(),
            verdict.engineRef());
    workflows.updateValidation(updated);
    if (increment == workflow.currentIncrement()) {
      // The workflow's representation shows its current revision's validation: new ETag.
      workflows.update(workflow.withCurrentIncrement(increment, now()));
    }
    EventData data =
        new EventData.WorkflowValidated(
            increment, updated.validation().messages(), updated.engineRef());
    events.append(
        List.of(
            workflowEvent(
                DomainEvent.WORKFLOW_VALIDATED,
                workflow,
                before.name(),
                verdict.status().name(),
                data,
                verdict.adapterId())));
    return updated;
  }

  @Override
  public WorkflowWithRevision forceUpdate(
      UUID id, Map<String, String> labels, String title, String reason, String actor) {
    if (reason == null || reason.isBlank()) {
      throw WorkflowApiException.invalid(
          ErrorCode.VALIDATION_FAILED,
          List.of(new FieldError(FieldPath.of("reason"), "{field} is required")));
    }
    Workflow workflow =
        workflows
            .findForUpdate(id)
            .orElseThrow(() -> WorkflowApiException.notFound("workflow " + id));
    WorkflowRevision current =
        workflows.findRevision(id, workflow.currentIncrement()).orElseThrow();
    List<FieldError> errors = new ArrayList<>();
    if (title != null) {
      WorkflowRules.checkTitle(title, errors);
    }
    if (!errors.isEmpty()) {
      throw WorkflowApiException.invalid(ErrorCode.VALIDATION_FAILED, errors);
    }
    Instant now = now();
    AuditSnapshot before = snapshot(workflow, current);
    List<DomainEvent> changes = new ArrayList<>();
    WorkflowRevision revision = current;
    if (labels != null) {
      Labels clientLabels = Labels.fromClient(labels, FieldPath.of("labels"));
      if (!clientLabels.equals(current.labels().withoutSystemLabels())) {
        String specHash =
            WorkflowRevision.specHash(
                current.definition(), current.parametersSchema(), clientLabels);
        // Labels are versioned content, so even a forced change appends a revision; the old
        // validation carries over because definition and schema are unchanged.
        revision =
            new WorkflowRevision(
                id,
                current.increment() + 1,
                current.definition(),
                current.parametersSchema(),
                WorkflowRules.withSystemLabels(clientLabels, workflow),
                specHash,
                now,
                current.validation(),
                current.tasks(),
                current.engineRef());
        workflows.insertRevision(revision);
        workflow = workflow.withCurrentIncrement(revision.increment(), now);
        changes.add(revisionEvent(revision, actor));
      }
    }
    if (title != null && !title.equals(workflow.title())) {
      workflow = workflow.renamed(title, workflow.description(), now);
      changes.add(
          workflowEvent(
              DomainEvent.WORKFLOW_UPDATED,
              workflow,
              null,
              null,
              new EventData.WorkflowForced(title, reason),
              actor));
    }
    if (!changes.isEmpty()) {
      workflows.update(workflow);
      events.append(changes);
    }
    audit.record(
        actor,
        "workflow.force_update",
        "workflow",
        id.toString(),
        before,
        snapshot(workflow, revision),
        reason);
    return new WorkflowWithRevision(workflow, revision, !changes.isEmpty());
  }

  private static AuditSnapshot snapshot(Workflow workflow, WorkflowRevision revision) {
    return new AuditSnapshot.Workflow(
        workflow.title(), revision.increment(), revision.labels().asMap());
  }

  /** An identical re-post returns the existing workflow; other content under its title is 409. */
  private WorkflowWithRevision sameOrTitleTaken(Workflow found, String engine, String specHash) {
    WorkflowRevision current =
        workflows.findRevision(found.id(), found.currentIncrement()).orElseThrow();
    if (found.workflowEngine().equals(engine) && current.specHash().equals(specHash)) {
      return new WorkflowWithRevision(found, current, false);
    }
    throw titleTaken(found, engine, specHash, current);
  }

  private WorkflowApiException titleTaken(
      Workflow found, String engine, String specHash, WorkflowRevision current) {
    return new WorkflowApiException(
        ErrorCode.TITLE_TAKEN,
        "an active workflow titled '"
            + found.title()
            + "' exists ("
            + found.id()
            + ") with other content; PATCH it to add a revision, or choose another title",
        new ProblemDetails.TitleTaken(
            new ProblemDetails.ExistingWorkflow(
                found.id(), found.workflowEngine(), current.increment(), current.specHash()),
            specHash,
            engine));
  }

  private DomainEvent workflowEvent(
      String type, Workflow workflow, String from, String to, EventData data, String actor) {
    return new DomainEvent(
        type,
        DomainEvent.ObjectType.WORKFLOW,
        workflow.id().toString(),
        null,
        from,
        to,
        data,
        actor);
  }

  private DomainEvent revisionEvent(WorkflowRevision revision, String actor) {
    return new DomainEvent(
        DomainEvent.REVISION_CREATED,
        DomainEvent.ObjectType.WORKFLOW,
        revision.workflowId().toString(),
        null,
        null,
        String.valueOf(revision.increment()),
        new EventData.RevisionCreated(revision.increment(), revision.specHash()),
        actor);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
