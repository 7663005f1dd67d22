package io.kaapana.workflow.core.application;

import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.AdapterStatus;
import io.kaapana.workflow.core.domain.AuditSnapshot;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.ReleaseReason;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.AdapterCommands;
import io.kaapana.workflow.core.port.out.AdapterDirectory;
import io.kaapana.workflow.core.port.out.AdapterNotices;
import io.kaapana.workflow.core.port.out.AdapterRepository;
import io.kaapana.workflow.core.port.out.AuditLog;
import io.kaapana.workflow.core.port.out.EventStore;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Leases and liveness: an adapter is ACTIVE while its heartbeats arrive within its lease; runs it
 * claims are leased to it; when it is lost or leaves, the runs that still need an adapter are
 * released for another one to claim. Every change is an event.
 */
public class AdapterService implements AdapterCommands, AdapterDirectory {
  /** Who the service's own changes are attributed to in events. */
  static final String SERVICE_ACTOR = "service";

  private final AdapterRepository adapters;
  private final RunRepository runs;
  private final WorkflowRepository workflows;
  private final EventStore events;
  private final AdapterNotices notices;
  private final AuditLog audit;
  private final Clock clock;

  public AdapterService(
      AdapterRepository adapters,
      RunRepository runs,
      WorkflowRepository workflows,
      EventStore events,
      AdapterNotices notices,
      AuditLog audit,
      Clock clock) {
    this.adapters = adapters;
    this.runs = runs;
    this.workflows = workflows;
    this.events = events;
    this.notices = notices;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Adapter register(AdapterRegistration registration, String actor) {
    Optional<Adapter> before = adapters.find(registration.id());
    if (before.isPresent()
        && before.get().registeredBy() != null
        && !before.get().registeredBy(registration.registeredBy())) {
      throw Adapter.idTaken(registration.id());
    }
    Adapter adapter = adapters.save(registration, now());
    AuditSnapshot after = AuditSnapshot.AdapterEntry.of(adapter);
    AuditSnapshot was = before.map(AuditSnapshot.AdapterEntry::of).orElse(null);
    if (before.isEmpty() || !before.get().isActive() || !after.equals(was)) {
      // renewals of an unchanged, active registration are heartbeats, not decisions
      audit.record(actor, "adapter.register", "adapter", registration.id(), was, after, null);
    }
    if (before.isEmpty() || !before.get().isActive()) {
      EventData data =
          new EventData.AdapterRegistered(
              registration.workflowEngine(), registration.labelSelector());
      events.append(
          List.of(
              new DomainEvent(
                  DomainEvent.ADAPTER_REGISTERED,
                  DomainEvent.ObjectType.ADAPTER,
                  registration.id(),
                  null,
                  before.map(a -> a.status().name()).orElse(null),
                  AdapterStatus.ACTIVE.name(),
                  data,
                  registration.id())));
      notices.registered(adapter, before.isPresent());
    }
    return adapter;
  }

  @Override
  public boolean deregister(String adapterId, String actor) {
    Optional<Adapter> found = adapters.find(adapterId);
    if (found.isEmpty()) {
      return false;
    }
    audit.record(
        actor,
        "adapter.deregister",
        "adapter",
        adapterId,
        AuditSnapshot.AdapterEntry.of(found.get()),
        null,
        null);
    int released = release(adapterId, ReleaseReason.DEREGISTERED, null);
    adapters.delete(adapterId);
    events.append(
        List.of(
            new DomainEvent(
                DomainEvent.ADAPTER_DEREGISTERED,
                DomainEvent.ObjectType.ADAPTER,
                adapterId,
                null,
                found.get().status().name(),
                null,
                EventData.NONE,
                adapterId)));
    notices.deregistered(adapterId, released);
    return true;
  }

  @Override
  public Optional<Claim> claim(String adapterId, int limit, boolean heartbeat) {
    sweepLost();
    Instant now = now();
    Adapter adapter =
        (heartbeat ? adapters.touch(adapterId, now) : adapters.find(adapterId))
            .orElseThrow(
                () ->
                    WorkflowApiException.notFound(
                        "adapter " + adapterId + " (register it with PUT first)"));
    if (!adapter.isActive()) {
      return Optional.empty();
    }
    LabelSelector selector = LabelSelector.parse(adapter.labelSelector());
    List<WorkflowRun> candidates =
        runs.findClaimableForUpdate(adapter.workflowEngine(), adapterId, selector, limit);
    List<DomainEvent> changes = new ArrayList<>();
    List<Claim.ClaimedRun> claimed = new ArrayList<>();
    for (WorkflowRun run : candidates) {
      // a run the adapter already holds keeps its token: the adapter may still report under it
      UUID token =
          adapterId.equals(run.adapterId()) && run.leaseToken() != null
              ? run.leaseToken()
              : UUID.randomUUID();
      run.claim(adapterId, token, now, changes);
      claimed.add(new Claim.ClaimedRun(run, token, adapter.leaseExpiresAt()));
    }
    if (!candidates.isEmpty()) {
      runs.updateAll(candidates);
      events.append(changes);
    }
    List<WorkflowRevision> revisions =
        workflows.claimValidations(
            adapter.workflowEngine(),
            selector,
            adapterId,
            now,
            now.plusSeconds(adapter.leaseSeconds()),
            limit);
    return Optional.of(new Claim(claimed, revisions));
  }

  @Override
  public int giveBack(String adapterId, List<UUID> runIds) {
    return runIds.isEmpty() ? 0 : release(adapterId, ReleaseReason.CLAIM_UNDELIVERED, runIds);
  }

  @Override
  public int sweepLost() {
    List<Adapter> lost = adapters.markLost(now());
    for (Adapter adapter : lost) {
      events.append(
          List.of(
              new DomainEvent(
                  DomainEvent.ADAPTER_LOST,
                  DomainEvent.ObjectType.ADAPTER,
                  adapter.id(),
                  null,
                  AdapterStatus.ACTIVE.name(),
                  AdapterStatus.LOST.name(),
                  EventData.NONE,
                  SERVICE_ACTOR)));
      notices.lost(adapter, release(adapter.id(), ReleaseReason.ADAPTER_LOST, null));
    }
    return lost.size();
  }

  /** Frees the runs the adapter holds that still need one (or only {@code onlyRuns}). */
  private int release(String adapterId, ReleaseReason reason, Collection<UUID> onlyRuns) {
    Instant now = now();
    List<UUID> released = runs.releaseHeldBy(adapterId, onlyRuns, now);
    if (released.isEmpty()) {
      return 0;
    }
    List<DomainEvent> changes = new ArrayList<>();
    for (UUID runId : released) {
      changes.add(
          new DomainEvent(
              DomainEvent.RUN_RELEASED,
              DomainEvent.ObjectType.WORKFLOW_RUN,
              runId.toString(),
              runId,
              adapterId,
              null,
              new EventData.RunReleased(reason),
              SERVICE_ACTOR));
    }
    events.append(changes);
    notices.runsReleased(adapterId, reason, released);
    return released.size();
  }

  @Override
  public Optional<Adapter> find(String adapterId) {
    return adapters.find(adapterId);
  }

  @Override
  public List<Adapter> list() {
    return adapters.list();
  }

  @Override
  public List<Adapter> active() {
    return adapters.active();
  }

  @Override
  public Set<Capability> capabilitiesServing(WorkflowRun run) {
    if (run.adapterId() != null) {
      Optional<Adapter> holder = adapters.find(run.adapterId());
      if (holder.isPresent() && holder.get().isActive()) {
        return holder.get().capabilities();
      }
    }
    Set<Capability> union = EnumSet.noneOf(Capability.class);
    for (Adapter adapter : adapters.active()) {
      if (adapter.serves(run.workflowEngine(), run.labels())) {
        union.addAll(adapter.capabilities());
      }
    }
    return union;
  }

  @Override
  public boolean servesEngine(String workflowEngine) {
    return adapters.anyActiveFor(workflowEngine);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
