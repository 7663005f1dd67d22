package io.kaapana.workflow.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A run of one workflow revision and its lifecycle state machine. Methods that change the run add
 * the events that describe the change to the list they are given (so that one transaction can
 * collect the events of many runs); nothing added means nothing changed and nothing is to be
 * written. Not thread-safe: load, change and store it inside one transaction.
 *
 * <p>Why one class of this size: it is the run aggregate, and every method changes the same few
 * fields (state, attempt, pending action, holder, lease) under one set of invariants
 * (lifecycle.md). Split into parts, each part would need those fields and re-check those
 * invariants; the task-run rules that stand apart already live in {@link TaskRunLifecycle}. About
 * 110 of its lines are {@link Restore}, which names each stored field for a repository.
 */
public final class WorkflowRun {
  private final UUID id;
  private final UUID workflowId;
  private final String workflowTitle;
  private final int revisionIncrement;
  private final String workflowEngine;
  private Labels labels;
  private final Map<String, Object> parameters;
  private RunState state;
  private ActionRequest actionRequest;
  private String statusMessage;
  private int attempt;
  private String externalId;
  private String adapterId;
  private UUID leaseToken;
  private boolean awaitingClaim;
  private final Instant createdAt;
  private Instant updatedAt;
  private Instant startedAt;
  private Instant finishedAt;
  private Map<TaskRunState, Integer> taskRunCounts;
  private long version;

  private WorkflowRun(Restore stored) {
    this.id = Objects.requireNonNull(stored.id, "id");
    this.workflowId = stored.workflowId;
    this.workflowTitle = stored.workflowTitle;
    this.revisionIncrement = stored.revisionIncrement;
    this.workflowEngine = stored.workflowEngine;
    this.labels = stored.labels == null ? Labels.empty() : stored.labels;
    this.parameters = stored.parameters == null ? Map.of() : stored.parameters;
    this.state = Objects.requireNonNull(stored.state, "state");
    this.actionRequest = stored.actionRequest;
    this.statusMessage = stored.statusMessage;
    this.attempt = stored.attempt;
    this.externalId = stored.externalId;
    this.adapterId = stored.adapterId;
    this.leaseToken = stored.leaseToken;
    this.awaitingClaim = stored.awaitingClaim;
    this.createdAt = stored.createdAt;
    this.updatedAt = stored.updatedAt;
    this.startedAt = stored.startedAt;
    this.finishedAt = stored.finishedAt;
    this.taskRunCounts = stored.taskRunCounts == null ? Map.of() : Map.copyOf(stored.taskRunCounts);
    this.version = stored.version;
  }

  /**
   * A run as it was stored, field by field by name (a repository reading a row, a test setting up a
   * state). Unset fields are empty: no labels, parameters or counts, attempt 1, version 1.
   */
  public static Restore restore() {
    return new Restore();
  }

  /** The fields of a stored run; {@link #build()} makes the run. */
  public static final class Restore {
    private UUID id;
    private UUID workflowId;
    private String workflowTitle;
    private int revisionIncrement;
    private String workflowEngine;
    private Labels labels;
    private Map<String, Object> parameters;
    private RunState state;
    private ActionRequest actionRequest;
    private String statusMessage;
    private int attempt = 1;
    private String externalId;
    private String adapterId;
    private UUID leaseToken;
    private boolean awaitingClaim;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Map<TaskRunState, Integer> taskRunCounts;
    private long version = 1;

    private Restore() {}

    public Restore id(UUID id) {
      this.id = id;
      return this;
    }

    public Restore workflowId(UUID workflowId) {
      this.workflowId = workflowId;
      return this;
    }

    public Restore workflowTitle(String workflowTitle) {
      this.workflowTitle = workflowTitle;
      return this;
    }

    public Restore revisionIncrement(int revisionIncrement) {
      this.revisionIncrement = revisionIncrement;
      return this;
    }

    public Restore workflowEngine(String workflowEngine) {
      this.workflowEngine = workflowEngine;
      return this;
    }

    public Restore labels(Labels labels) {
      this.labels = labels;
      return this;
    }

    public Restore parameters(Map<String, Object> parameters) {
      this.parameters = parameters;
      return this;
    }

    public Restore state(RunState state) {
      this.state = state;
      return this;
    }

    public Restore actionRequest(ActionRequest actionRequest) {
      this.actionRequest = actionRequest;
      return this;
    }

    public Restore statusMessage(String statusMessage) {
      this.statusMessage = statusMessage;
      return this;
    }

    public Restore attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Restore externalId(String externalId) {
      this.externalId = externalId;
      return this;
    }

    public Restore adapterId(String adapterId) {
      this.adapterId = adapterId;
      return this;
    }

    public Restore leaseToken(UUID leaseToken) {
      this.leaseToken = leaseToken;
      return this;
    }

    public Restore awaitingClaim(boolean awaitingClaim) {
      this.awaitingClaim = awaitingClaim;
      return this;
    }

    public Restore createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Restore updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Restore startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Restore finishedAt(Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Restore taskRunCounts(Map<TaskRunState, Integer> taskRunCounts) {
      this.taskRunCounts = taskRunCounts;
      return this;
    }

    public Restore version(long version) {
      this.version = version;
      return this;
    }

    public WorkflowRun build() {
      return new WorkflowRun(this);
    }
  }

  /** The status message of a run that waits because no adapter serves its engine. */
  public static String noAdapterMessage(String workflowEngine) {
    return NO_ADAPTER_PREFIX + workflowEngine + NO_ADAPTER_SUFFIX;
  }

  public static final String NO_ADAPTER_PREFIX = "no adapter is registered for workflow engine '";
  public static final String NO_ADAPTER_SUFFIX = "'; the run waits";

  /** A new run in {@code CREATED}, waiting for an adapter to claim it. */
  public static WorkflowRun create(
      UUID id,
      Workflow workflow,
      WorkflowRevision revision,
      Labels labels,
      Map<String, Object> parameters,
      String statusMessage,
      Instant now) {
    return restore()
        .id(id)
        .workflowId(workflow.id())
        .workflowTitle(workflow.title())
        .revisionIncrement(revision.increment())
        .workflowEngine(workflow.workflowEngine())
        .labels(labels)
        .parameters(parameters)
        .state(RunState.CREATED)
        .statusMessage(statusMessage)
        .attempt(1)
        .awaitingClaim(true)
        .createdAt(now)
        .updatedAt(now)
        .version(1)
        .build();
  }

  /** Actions a client may request now, for {@code allowed_actions} in a refusal. */
  public List<RequestedAction> allowedActions() {
    List<RequestedAction> allowed = new ArrayList<>();
    if (state.isActive()
        || (actionRequest != null && actionRequest.type() == RequestedAction.RETRY)) {
      allowed.add(RequestedAction.CANCEL);
    }
    if (state == RunState.ERROR || state == RunState.CANCELED) {
      allowed.add(RequestedAction.RETRY);
    }
    return allowed;
  }

  /**
   * Outcome of a client request: whether it took effect at once (200) or awaits the adapter (202).
   */
  public enum RequestOutcome {
    APPLIED,
    ACCEPTED
  }

  /**
   * Records a client's CANCEL or RETRY per lifecycle.md.
   *
   * @throws WorkflowApiException {@code invalid-transition} when the state does not allow it
   */
  public RequestOutcome request(
      ActionRequest request, String actor, Instant now, List<DomainEvent> events) {
    checkAllowed(request);
    return switch (request.type()) {
      case CANCEL -> requestCancel(request, actor, now, events);
      case RETRY -> requestRetry(request, actor, now, events);
    };
  }

  /**
   * Refuses a request the current state does not allow, without changing anything (what a dry run
   * needs).
   *
   * @throws WorkflowApiException {@code invalid-transition}
   */
  public void checkAllowed(ActionRequest request) {
    if (!allowedActions().contains(request.type())) {
      throw refused(request.type());
    }
  }

  private RequestOutcome requestCancel(
      ActionRequest request, String actor, Instant now, List<DomainEvent> events) {
    boolean retryPending = actionRequest != null && actionRequest.type() == RequestedAction.RETRY;
    if (actionRequest != null && actionRequest.type() == RequestedAction.CANCEL) {
      return RequestOutcome.ACCEPTED; // repeated cancel: nothing new
    }
    if (adapterId == null && (state == RunState.CREATED || retryPending)) {
      // Nobody has it in an engine: the service settles it alone.
      ActionRequest withdrawn = actionRequest;
      actionRequest = null;
      if (state == RunState.CREATED) {
        changeState(
            RunState.CANCELED,
            actor,
            now,
            events,
            EventData.RunStateChanged.canceled(nullToEmpty(request.reason())));
        finishedAt = now;
        awaitingClaim = false;
      } else if (withdrawn != null) {
        events.add(
            actionEvent(DomainEvent.RUN_ACTION_COMPLETED, RequestedAction.CANCEL, request, actor));
      }
      touch(now);
      return RequestOutcome.APPLIED;
    }
    actionRequest = request;
    awaitingClaim = true;
    events.add(
        actionEvent(DomainEvent.RUN_ACTION_REQUESTED, RequestedAction.CANCEL, request, actor));
    touch(now);
    return RequestOutcome.ACCEPTED;
  }

  private RequestOutcome requestRetry(
      ActionRequest request, String actor, Instant now, List<DomainEvent> events) {
    if (actionRequest != null && actionRequest.type() == RequestedAction.RETRY) {
      return RequestOutcome.ACCEPTED;
    }
    actionRequest = request;
    awaitingClaim = true;
    events.add(
        actionEvent(DomainEvent.RUN_ACTION_REQUESTED, RequestedAction.RETRY, request, actor));
    touch(now);
    return RequestOutcome.ACCEPTED;
  }

  /**
   * Records a client's RETRY of one task run. The caller has checked that the engine supports it.
   */
  public RequestOutcome requestTaskRetry(
      TaskRun task, String reason, String actor, Instant now, List<DomainEvent> events) {
    if (!task.state().isRetryable() || state == RunState.COMPLETED) {
      throw new WorkflowApiException(
          ErrorCode.INVALID_TRANSITION,
          "task run '"
              + task.taskTitle()
              + "' is "
              + task.state()
              + " in a run that is "
              + state
              + "; RETRY needs a task run that is ERROR, UPSTREAM_FAILED or CANCELED in a run that"
              + " is not COMPLETED",
          new ProblemDetails.InvalidTransition(task.state().name(), List.of()));
    }
    if (actionRequest != null && actionRequest.type() == RequestedAction.CANCEL) {
      throw new WorkflowApiException(
          ErrorCode.INVALID_TRANSITION,
          "the run has a pending CANCEL; a task retry would undo it",
          new ProblemDetails.InvalidTransition(state.name(), List.of()));
    }
    ActionRequest taskRetry = ActionRequest.retryTask(task.taskTitle(), reason);
    if (taskRetry.equals(actionRequest)) {
      return RequestOutcome.ACCEPTED;
    }
    actionRequest = taskRetry;
    awaitingClaim = true;
    events.add(
        new DomainEvent(
            DomainEvent.TASK_RUN_ACTION_REQUESTED,
            DomainEvent.ObjectType.TASK_RUN,
            task.id().toString(),
            id,
            null,
            null,
            new EventData.TaskRetryRequested(task.taskTitle(), nullToEmpty(reason)),
            actor));
    touch(now);
    return RequestOutcome.ACCEPTED;
  }

  /**
   * Applies the holder's report to the run itself (task runs are applied by {@link
   * TaskRunLifecycle}). Out-of-date reports are ignored, not refused: engines are polled and
   * reports race.
   */
  public void applyReport(
      StatusReport report, String actor, Instant now, List<DomainEvent> events) {
    int before = events.size();
    boolean fieldsChanged = false;
    if (report.attempt() > attempt && state != RunState.COMPLETED) {
      // A new attempt (a retry carried out, or the engine's own re-run) starts a fresh path.
      int previous = attempt;
      attempt = report.attempt();
      changeState(
          report.state(),
          actor,
          now,
          events,
          EventData.RunStateChanged.newAttempt(attempt, previous));
      startedAt = report.startedAt();
      finishedAt = report.state().isSettled() ? firstNonNull(report.finishedAt(), now) : null;
      statusMessage = report.statusMessage(); // the last attempt's failure is history now
      if (actionRequest != null && actionRequest.type() == RequestedAction.RETRY) {
        completeAction(RequestedAction.RETRY, actor, events);
      }
      fieldsChanged = true;
    } else if (report.attempt() == attempt
        && !state.isSettled()
        && report.state().rank() > state.rank()) {
      if (startedAt == null && report.startedAt() != null) {
        startedAt = report.startedAt(); // the engine's start, not the time of this report
      }
      // The message describes the state: a new state without one clears an old one (e.g. a
      // retried submission's "engine unavailable").
      statusMessage = report.statusMessage();
      changeState(report.state(), actor, now, events, EventData.RunStateChanged.onAttempt(attempt));
      if (report.state().isSettled()) {
        finishedAt = firstNonNull(report.finishedAt(), now);
      }
    }
    if (report.attempt() == attempt) {
      if (report.startedAt() != null && startedAt == null) {
        startedAt = report.startedAt();
        fieldsChanged = true;
      }
      if (report.externalId() != null && !report.externalId().equals(externalId)) {
        externalId = report.externalId();
        fieldsChanged = true;
      }
      if (report.statusMessage() != null && !report.statusMessage().equals(statusMessage)) {
        statusMessage = report.statusMessage();
        fieldsChanged = true;
      }
    }
    if (report.actionDone() != null
        && actionRequest != null
        && actionRequest.type() == report.actionDone()) {
      completeAction(report.actionDone(), actor, events);
    } else if (state.isSettled()
        && actionRequest != null
        && actionRequest.type() == RequestedAction.CANCEL
        && report.attempt() == attempt) {
      // The run ended: there is nothing left to cancel.
      completeAction(RequestedAction.CANCEL, actor, events);
    }
    if (fieldsChanged || events.size() > before) {
      touch(now);
    }
  }

  /** Gives the run to an adapter under a fresh lease. */
  public void claim(
      String newAdapterId, UUID newLeaseToken, Instant now, List<DomainEvent> events) {
    String previous = adapterId;
    adapterId = newAdapterId;
    leaseToken = newLeaseToken;
    awaitingClaim = false;
    if (noAdapterMessage(workflowEngine).equals(statusMessage)) {
      statusMessage = null; // an adapter has it now
    }
    EventData data =
        new EventData.RunClaimed(
            newAdapterId, previous != null && !previous.equals(newAdapterId) ? previous : null);
    events.add(
        new DomainEvent(
            DomainEvent.RUN_CLAIMED,
            DomainEvent.ObjectType.WORKFLOW_RUN,
            id.toString(),
            id,
            previous,
            newAdapterId,
            data,
            newAdapterId));
    touch(now);
  }

  /**
   * Whether the run still needs the adapter that holds it: it is active, or an action waits to be
   * carried out. A settled run keeps its holder, so that its logs can still be found.
   */
  public boolean needsHolder() {
    return state.isActive() || actionRequest != null;
  }

  /**
   * Takes the run from its holder: no adapter, no lease, waiting for a claim again. The event
   * ({@code run.released}) is the caller's, which releases runs by the set (see {@code
   * RunRepository.releaseHeldBy}).
   */
  public void release(Instant now) {
    adapterId = null;
    leaseToken = null;
    awaitingClaim = true;
    touch(now);
  }

  /** Checks that a report comes from the current holder. */
  public void checkLease(UUID token) {
    if (leaseToken == null || !leaseToken.equals(token)) {
      throw new WorkflowApiException(
          ErrorCode.LEASE_LOST,
          "the lease token does not match the run's current lease; the run "
              + (adapterId == null ? "is not held by any adapter" : "is held under another lease")
              + "; claim it again");
    }
  }

  /** Overwrites state, labels or message; an admin's forced update bypasses the state machine. */
  public void forceUpdate(
      Labels newLabels,
      RunState newState,
      String newMessage,
      String reason,
      String actor,
      Instant now,
      List<DomainEvent> events) {
    EventData data = new EventData.RunForced(reason, null, null);
    String from = state.name();
    if (newLabels != null && !newLabels.equals(labels)) {
      data = new EventData.RunForced(reason, labels.asMap(), newLabels.asMap());
      labels = newLabels;
    }
    if (newState != null && newState != state) {
      state = newState;
      finishedAt = newState.isSettled() ? firstNonNull(finishedAt, now) : null;
      if (newState.isSettled()
          && actionRequest != null
          && actionRequest.type() == RequestedAction.CANCEL) {
        actionRequest = null;
      }
    }
    if (newMessage != null) {
      statusMessage = newMessage;
    }
    events.add(
        new DomainEvent(
            DomainEvent.RUN_FORCED_UPDATE,
            DomainEvent.ObjectType.WORKFLOW_RUN,
            id.toString(),
            id,
            from,
            state.name(),
            data,
            actor));
    touch(now);
  }

  /** Replaces the per-state task-run counts; a change is a change of the run (new ETag). */
  public void replaceTaskRunCounts(Map<TaskRunState, Integer> counts, Instant now) {
    if (!taskRunCounts.equals(counts)) {
      taskRunCounts = Map.copyOf(counts);
      touch(now);
    }
  }

  private void changeState(
      RunState to, String actor, Instant now, List<DomainEvent> events, EventData data) {
    RunState from = state;
    state = to;
    if (to == RunState.RUNNING && startedAt == null) {
      startedAt = now;
    }
    events.add(
        new DomainEvent(
            DomainEvent.RUN_STATUS_CHANGED,
            DomainEvent.ObjectType.WORKFLOW_RUN,
            id.toString(),
            id,
            from.name(),
            to.name(),
            data,
            actor));
  }

  private void completeAction(RequestedAction action, String actor, List<DomainEvent> events) {
    events.add(
        new DomainEvent(
            DomainEvent.RUN_ACTION_COMPLETED,
            DomainEvent.ObjectType.WORKFLOW_RUN,
            id.toString(),
            id,
            action.name(),
            null,
            EventData.RunAction.of(action),
            actor));
    actionRequest = null;
  }

  private DomainEvent actionEvent(
      String type, RequestedAction action, ActionRequest request, String actor) {
    EventData data =
        new EventData.RunAction(action, request.scope(), request.force(), request.reason());
    return new DomainEvent(
        type,
        DomainEvent.ObjectType.WORKFLOW_RUN,
        id.toString(),
        id,
        state.name(),
        state.name(),
        data,
        actor);
  }

  private WorkflowApiException refused(RequestedAction action) {
    List<String> allowed = allowedActions().stream().map(Enum::name).toList();
    return new WorkflowApiException(
        ErrorCode.INVALID_TRANSITION,
        action
            + " is not allowed while the run is "
            + state
            + (allowed.isEmpty()
                ? "; no action is allowed now"
                : "; allowed now: " + String.join(", ", allowed)),
        new ProblemDetails.InvalidTransition(state.name(), allowed));
  }

  private void touch(Instant now) {
    updatedAt = now;
    version++;
  }

  private static Instant firstNonNull(Instant a, Instant b) {
    return a != null ? a : b;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  public UUID id() {
    return id;
  }

  public UUID workflowId() {
    return workflowId;
  }

  public String workflowTitle() {
    return workflowTitle;
  }

  public int revisionIncrement() {
    return revisionIncrement;
  }

  public String workflowEngine() {
    return workflowEngine;
  }

  public Labels labels() {
    return labels;
  }

  public Map<String, Object> parameters() {
    return parameters;
  }

  public RunState state() {
    return state;
  }

  public ActionRequest actionRequest() {
    return actionRequest;
  }

  public RequestedAction requestedAction() {
    return actionRequest == null ? null : actionRequest.type();
  }

  public String statusMessage() {
    return statusMessage;
  }

  public int attempt() {
    return attempt;
  }

  public String externalId() {
    return externalId;
  }

  public String adapterId() {
    return adapterId;
  }

  public UUID leaseToken() {
    return leaseToken;
  }

  public boolean awaitingClaim() {
    return awaitingClaim;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Map<TaskRunState, Integer> taskRunCounts() {
    return taskRunCounts;
  }

  public long version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkflowRun other && id.equals(other.id) && version == other.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, version);
  }
}
