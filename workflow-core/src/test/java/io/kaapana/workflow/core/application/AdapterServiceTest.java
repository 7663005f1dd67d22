package io.kaapana.workflow.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.AdapterRegistration;
import io.kaapana.workflow.core.domain.AdapterStatus;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.Claim;
import io.kaapana.workflow.core.domain.DomainEvent;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.EventData;
import io.kaapana.workflow.core.domain.ReleaseReason;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.StatusReport;
import io.kaapana.workflow.core.domain.UuidV7;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.fakes.Fakes;
import io.kaapana.workflow.core.fakes.InMemoryAdapterRepository;
import io.kaapana.workflow.core.fakes.InMemoryRunRepository;
import io.kaapana.workflow.core.fakes.InMemoryWorkflowRepository;
import io.kaapana.workflow.core.port.in.RunCommands.CreateRun;
import io.kaapana.workflow.core.port.in.WorkflowCommands.CreateWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdapterServiceTest {
  private final InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
  private final InMemoryRunRepository runs = new InMemoryRunRepository();
  private final InMemoryAdapterRepository adapterStore = new InMemoryAdapterRepository();
  private final Fakes.RecordingEventStore events = new Fakes.RecordingEventStore();
  private final Fakes.RecordingNotices notices = new Fakes.RecordingNotices();
  private final Fakes.MutableClock clock = new Fakes.MutableClock();
  private final Fakes.RecordingAuditLog audit = new Fakes.RecordingAuditLog();
  private final AdapterService adapters =
      new AdapterService(adapterStore, runs, workflows, events, notices, audit, clock);
  private final WorkflowService workflowService =
      new WorkflowService(
          workflows,
          events,
          new Fakes.RequiredOnlyValidator(),
          new Fakes.RecordingAuditLog(),
          () -> UuidV7.next(clock),
          clock);
  private final RunService runService =
      new RunService(
          workflows,
          runs,
          events,
          new Fakes.RequiredOnlyValidator(),
          adapters,
          new Fakes.RecordingAuditLog(),
          () -> UuidV7.next(clock),
          clock);
  private UUID workflowId;

  @BeforeEach
  void workflow() {
    workflowId =
        workflowService
            .create(new CreateWorkflow("seg", "local", "v1", Map.of(), Map.of(), null, "a"))
            .workflow()
            .id();
  }

  private WorkflowRun newRun(Map<String, String> labels) {
    return runService.create(
        new CreateRun(workflowId, null, null, Map.of(), labels, "project-a", "alice"));
  }

  private Adapter register(String id, String selector, int leaseSeconds) {
    return adapters.register(
        new AdapterRegistration(
            id,
            "local",
            selector,
            Set.of(Capability.CANCEL),
            null,
            "1",
            leaseSeconds,
            "adapter-client"),
        "adapter-client");
  }

  private Claim claim(String id) {
    return adapters.claim(id, 10, true).orElseThrow();
  }

  private List<DomainEvent> eventsOfType(String type) {
    return events.events.stream().filter(e -> e.type().equals(type)).toList();
  }

  @Test
  void aNewAdapterIsActiveAndAnnouncedOnceNotOnEveryHeartbeat() {
    Adapter adapter = register("a-1", "", 30);
    register("a-1", "", 30);

    assertThat(adapter.status()).isEqualTo(AdapterStatus.ACTIVE);
    assertThat(adapter.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(eventsOfType(DomainEvent.ADAPTER_REGISTERED)).hasSize(1);
    assertThat(notices.lines).containsExactly("registered a-1");
    assertThat(audit.actions).containsExactly("adapter-client:adapter.register:a-1:null");
    adapters.register(
        new AdapterRegistration(
            "a-1", "local", "site=b", Set.of(Capability.CANCEL), null, "1", 30, "adapter-client"),
        "adapter-client");
    assertThat(audit.actions).as("a changed registration is audited").hasSize(2);
  }

  @Test
  void aClaimLeasesMatchingRunsOldestFirstAndClearsTheNoAdapterNote() {
    WorkflowRun first = newRun(Map.of("site", "a"));
    clock.advance(Duration.ofSeconds(1));
    WorkflowRun second = newRun(Map.of("site", "a"));
    newRun(Map.of("site", "b"));
    register("a-1", "site=a", 30);

    Claim claim = claim("a-1");

    assertThat(claim.runs()).extracting(c -> c.run().id()).containsExactly(first.id(), second.id());
    Claim.ClaimedRun taken = claim.runs().get(0);
    assertThat(taken.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    assertThat(taken.run().adapterId()).isEqualTo("a-1");
    assertThat(taken.run().awaitingClaim()).isFalse();
    assertThat(taken.run().statusMessage()).isNull();
    assertThat(eventsOfType(DomainEvent.RUN_CLAIMED)).hasSize(2);
    assertThat(claim("a-1").runs()).isEmpty(); // nothing waits any more
  }

  @Test
  void anAdapterWhoseHeartbeatsStopIsLostAndItsActiveRunsGoToAnother() {
    WorkflowRun active = newRun(Map.of());
    WorkflowRun settled = newRun(Map.of());
    register("dying", "", 2);
    Claim claim = claim("dying");
    UUID settledToken =
        claim.runs().stream()
            .filter(c -> c.run().id().equals(settled.id()))
            .findFirst()
            .orElseThrow()
            .leaseToken();
    runService.report(
        settled.id(),
        new StatusReport(
            settledToken, RunState.COMPLETED, 1, null, null, null, null, null, List.of()),
        "dying");

    clock.advance(Duration.ofSeconds(3));
    register("heir", "", 30);
    Claim inherited = claim("heir");

    assertThat(adapters.find("dying").orElseThrow().status()).isEqualTo(AdapterStatus.LOST);
    assertThat(inherited.runs()).extracting(c -> c.run().id()).containsExactly(active.id());
    assertThat(runs.findForUpdate(settled.id()).orElseThrow().adapterId()).isEqualTo("dying");
    List<DomainEvent> released = eventsOfType(DomainEvent.RUN_RELEASED);
    assertThat(released).hasSize(1);
    assertThat(released.get(0).workflowRunId()).isEqualTo(active.id());
    assertThat(released.get(0).from()).isEqualTo("dying");
    assertThat(released.get(0).data())
        .isEqualTo(new EventData.RunReleased(ReleaseReason.ADAPTER_LOST));
    assertThat(eventsOfType(DomainEvent.ADAPTER_LOST)).hasSize(1);
    assertThat(notices.lines).contains("released 1 of dying adapter-lost", "lost dying released 1");

    // a LOST adapter's look without a heartbeat gets nothing; its next heartbeat revives it
    assertThat(adapters.claim("dying", 10, false)).isEmpty();
    register("dying", "", 30);
    assertThat(notices.lines).contains("back dying");
  }

  @Test
  void aRunWithAPendingCancelStaysToBeReleasedEvenWhenSettled() {
    WorkflowRun run = newRun(Map.of());
    register("a-1", "", 30);
    claim("a-1");
    runService.request(run.id(), ActionRequest.cancel(false, "stop"), null, "alice");

    assertThat(adapters.deregister("a-1", "adapter-client")).isTrue();

    WorkflowRun freed = runs.findForUpdate(run.id()).orElseThrow();
    assertThat(freed.adapterId()).isNull();
    assertThat(freed.awaitingClaim()).isTrue();
    assertThat(eventsOfType(DomainEvent.RUN_RELEASED).get(0).data())
        .isEqualTo(new EventData.RunReleased(ReleaseReason.DEREGISTERED));
    assertThat(adapters.find("a-1")).isEmpty();
    assertThat(notices.lines).contains("deregistered a-1 released 1");
    assertThat(audit.actions).contains("adapter-client:adapter.deregister:a-1:null");
    assertThat(adapters.deregister("a-1", "adapter-client")).isFalse();
  }

  @Test
  void runsAClaimCouldNotHandOverAreGivenBackAndNoOthers() {
    WorkflowRun undelivered = newRun(Map.of());
    WorkflowRun kept = newRun(Map.of());
    register("a-1", "", 30);
    claim("a-1");

    assertThat(adapters.giveBack("a-1", List.of(undelivered.id()))).isEqualTo(1);

    assertThat(runs.findForUpdate(undelivered.id()).orElseThrow().adapterId()).isNull();
    assertThat(runs.findForUpdate(kept.id()).orElseThrow().adapterId()).isEqualTo("a-1");
    assertThat(notices.lines).contains("released 1 of a-1 claim-undelivered");
    assertThat(adapters.giveBack("a-1", List.of())).isZero();
  }

  @Test
  void aRunHandedBackToItsHolderForAnActionKeepsItsLeaseToken() {
    WorkflowRun run = newRun(Map.of());
    register("a-1", "", 30);
    UUID token = claim("a-1").runs().get(0).leaseToken();
    runService.request(run.id(), ActionRequest.cancel(false, "stop"), null, "alice");

    Claim again = claim("a-1");

    assertThat(again.runs()).hasSize(1);
    assertThat(again.runs().get(0).leaseToken()).isEqualTo(token);
    assertThat(again.runs().get(0).run().actionRequest().reason()).isEqualTo("stop");
  }

  @Test
  void anUnknownAdapterCannotClaim() {
    assertThatThrownBy(() -> adapters.claim("nobody", 10, true))
        .isInstanceOf(WorkflowApiException.class)
        .extracting(e -> ((WorkflowApiException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anAdapterIdBelongsToTheClientThatRegisteredIt() {
    register("a-1", "", 30);
    assertThatThrownBy(
            () ->
                adapters.register(
                    new AdapterRegistration(
                        "a-1", "local", "", Set.of(), "http://intruder.svc", "1", 30, "intruder"),
                    "intruder"))
        .isInstanceOf(WorkflowApiException.class)
        .extracting(e -> ((WorkflowApiException) e).code())
        .isEqualTo(ErrorCode.ADAPTER_ID_TAKEN);
    Adapter kept = adapters.find("a-1").orElseThrow();
    assertThat(kept.registeredBy("adapter-client")).isTrue();
    assertThat(kept.endpointUrl()).isNull();
  }

  @Test
  void theCapabilitiesServingARunAreItsHoldersOrTheUnionOfThoseThatServeIt() {
    WorkflowRun run = newRun(Map.of("site", "a"));
    adapters.register(
        new AdapterRegistration(
            "a-1", "local", "site=a", Set.of(Capability.CANCEL), null, "1", 30, "adapter-client"),
        "adapter-client");
    adapters.register(
        new AdapterRegistration(
            "a-2", "local", "", Set.of(Capability.RETRY_RUN), null, "1", 30, "adapter-client"),
        "adapter-client");
    adapters.register(
        new AdapterRegistration(
            "other", "airflow", "", Set.of(Capability.RETRY_TASK), null, "1", 30, "adapter-client"),
        "adapter-client");

    assertThat(adapters.capabilitiesServing(run))
        .containsExactlyInAnyOrder(Capability.CANCEL, Capability.RETRY_RUN);
    assertThat(adapters.servesEngine("local")).isTrue();
    assertThat(adapters.servesEngine("argo")).isFalse();

    adapters.claim("a-1", 10, true);
    assertThat(adapters.capabilitiesServing(runs.findForUpdate(run.id()).orElseThrow()))
        .containsExactly(Capability.CANCEL);
  }

  @Test
  void aRevisionToValidateGoesToOneAdapterUntilItsClaimEnds() {
    register("a-1", "", 10);
    register("a-2", "", 10);

    assertThat(claim("a-1").revisions())
        .extracting(r -> r.workflowId())
        .containsExactly(workflowId);
    assertThat(claim("a-2").revisions()).isEmpty();
    clock.advance(Duration.ofSeconds(11));
    register("a-2", "", 10); // its heartbeat
    assertThat(claim("a-2").revisions()).hasSize(1);
  }
}
