package io.kaapana.workflow.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.UuidV7;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.fakes.Fakes;
import io.kaapana.workflow.core.fakes.InMemoryRunRepository;
import io.kaapana.workflow.core.fakes.InMemoryWorkflowRepository;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Key;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Outcome;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands.Result;
import io.kaapana.workflow.core.port.in.RunCommands.CreateRun;
import io.kaapana.workflow.core.port.in.WorkflowCommands.CreateWorkflow;
import io.kaapana.workflow.core.port.out.IdempotencyKeys;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdempotentRunServiceTest {
  private final InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
  private final InMemoryRunRepository runs = new InMemoryRunRepository();
  private final Fakes.RecordingEventStore events = new Fakes.RecordingEventStore();
  private final Fakes.MutableClock clock = new Fakes.MutableClock();
  private final Map<String, IdempotencyKeys.Prior> remembered = new HashMap<>();
  private final IdempotencyKeys keys =
      new IdempotencyKeys() {
        @Override
        public Optional<Prior> claim(String scope, String key, String hash, Instant now) {
          Prior prior = remembered.get(scope + "/" + key);
          if (prior == null) {
            remembered.put(scope + "/" + key, new Prior(hash, null, null));
          }
          return Optional.ofNullable(prior);
        }

        @Override
        public void complete(String scope, String key, UUID resourceId, Outcome outcome) {
          Prior claimed = remembered.get(scope + "/" + key);
          remembered.put(scope + "/" + key, new Prior(claimed.requestHash(), resourceId, outcome));
        }
      };
  private final RunService runService =
      new RunService(
          workflows,
          runs,
          events,
          new Fakes.RequiredOnlyValidator(),
          new Fakes.FixedCapabilities(),
          new Fakes.RecordingAuditLog(),
          () -> UuidV7.next(clock),
          clock);
  private final IdempotentRunService service =
      new IdempotentRunService(runService, runs, keys, clock);
  private CreateRun create;

  @BeforeEach
  void workflow() {
    UUID workflowId =
        new WorkflowService(
                workflows,
                events,
                new Fakes.RequiredOnlyValidator(),
                new Fakes.RecordingAuditLog(),
                () -> UuidV7.next(clock),
                clock)
            .create(new CreateWorkflow("seg", "local", "v1", Map.of(), Map.of(), null, "a"))
            .workflow()
            .id();
    create = new CreateRun(workflowId, null, null, Map.of(), Map.of(), "project-a", "alice");
  }

  @Test
  void aRepeatedCreationAnswersTheFirstRunAndCreatesNoOther() {
    Key key = new Key("create", "k-1", "hash-a");

    Result first = service.create(create, key);
    Result again = service.create(create, key);

    assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(first.replayed()).isFalse();
    assertThat(again.run().id()).isEqualTo(first.run().id());
    assertThat(again.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(again.replayed()).isTrue();
    assertThat(runs.runWrites).isEqualTo(1);
  }

  @Test
  void anotherRequestUnderTheSameKeyIsRefusedAndChangesNothing() {
    service.create(create, new Key("create", "k-1", "hash-a"));

    assertThatThrownBy(() -> service.create(create, new Key("create", "k-1", "hash-b")))
        .isInstanceOfSatisfying(
            WorkflowApiException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
    assertThat(runs.runWrites).isEqualTo(1);
  }

  @Test
  void withoutAKeyEveryRequestTakesEffectAndARepeatedCancelReplaysItsOutcome() {
    Result a = service.create(create, Key.NONE);
    Result b = service.create(create, Key.NONE);
    assertThat(a.run().id()).isNotEqualTo(b.run().id());

    Key cancel = new Key("cancel " + a.run().id(), "k-2", "hash-c");
    Result canceled =
        service.request(a.run().id(), ActionRequest.cancel(false, "x"), null, "alice", cancel);
    Result repeated =
        service.request(a.run().id(), ActionRequest.cancel(false, "x"), null, "alice", cancel);

    assertThat(canceled.outcome()).isEqualTo(Outcome.APPLIED); // nobody held it: canceled at once
    assertThat(repeated.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(repeated.replayed()).isTrue();
  }
}
