package io.kaapana.workflow.core.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.LabelSelector;
import io.kaapana.workflow.core.domain.Labels;
import io.kaapana.workflow.core.domain.RetryScope;
import io.kaapana.workflow.core.domain.RunState;
import io.kaapana.workflow.core.domain.TaskDefinition;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.TaskRunState;
import io.kaapana.workflow.core.domain.Validation;
import io.kaapana.workflow.core.domain.ValidationStatus;
import io.kaapana.workflow.core.domain.Workflow;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRevision;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every implementation of the repository ports must do. The in-memory fakes run it in the
 * core; the PostgreSQL repositories run it in the service, so the fakes stay honest.
 */
public abstract class RepositoryContract {
  protected abstract WorkflowRepository workflows();

  protected abstract RunRepository runs();

  /** Runs {@code work} in one transaction of the store under test. */
  protected <T> T tx(Supplier<T> work) {
    return work.get();
  }

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private Workflow storedWorkflow(String title) {
    return storedWorkflow(title, "local");
  }

  private Workflow storedWorkflow(String title, String engine) {
    Workflow w = new Workflow(UUID.randomUUID(), title, engine, "d", false, 1, NOW, NOW, 1);
    WorkflowRevision r =
        new WorkflowRevision(
            w.id(),
            1,
            "def",
            Map.of("type", "object"),
            Labels.trusted(Map.of("team", "a")),
            "hash",
            NOW,
            Validation.pending(),
            List.of(),
            null);
    tx(
        () -> {
          workflows().insert(w);
          workflows().insertRevision(r);
          return null;
        });
    return w;
  }

  private WorkflowRun storedRun(Workflow w, Map<String, String> labels) {
    return storedRun(w, labels, NOW);
  }

  private WorkflowRun storedRun(Workflow w, Map<String, String> labels, Instant createdAt) {
    WorkflowRevision revision = tx(() -> workflows().findRevision(w.id(), 1).orElseThrow());
    WorkflowRun run =
        WorkflowRun.create(
            UUID.randomUUID(),
            w,
            revision,
            Labels.trusted(labels),
            Map.of("n", 1),
            null,
            createdAt);
    tx(
        () -> {
          runs().insert(run);
          return null;
        });
    return run;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  public final void workflowsRoundTripAndActiveTitlesAreUnique() {
    String title = unique("wf");
    Workflow w = storedWorkflow(title);
    assertThat(tx(() -> workflows().find(w.id()))).contains(w);
    assertThat(tx(() -> workflows().findActiveByTitle(title))).contains(w);
    Workflow twin = new Workflow(UUID.randomUUID(), title, "local", null, false, 1, NOW, NOW, 1);
    assertThat(tx(() -> workflows().insert(twin))).isFalse();
    assertThat(tx(() -> workflows().find(twin.id()))).isEmpty();
    Workflow other = storedWorkflow(unique("wf"));
    assertThatThrownBy(
            () ->
                tx(
                    () -> {
                      workflows().update(other.renamed(title, null, NOW));
                      return null;
                    }))
        .isInstanceOfSatisfying(
            WorkflowApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TITLE_TAKEN));
    Workflow archived = w.archive(NOW);
    tx(
        () -> {
          workflows().update(archived);
          workflows().insert(twin);
          return null;
        });
    assertThat(tx(() -> workflows().findActiveByTitle(title))).contains(twin);
    assertThat(tx(() -> workflows().find(w.id())).orElseThrow().archived()).isTrue();
  }

  @Test
  public final void revisionsKeepValidationTasksAndEngineRef() {
    Workflow w = storedWorkflow(unique("wf"));
    WorkflowRevision revision = tx(() -> workflows().findRevision(w.id(), 1).orElseThrow());
    assertThat(revision.labels().asMap()).isEqualTo(Map.of("team", "a"));
    assertThat(revision.parametersSchema()).isEqualTo(Map.of("type", "object"));
    WorkflowRevision validated =
        revision.validated(
            new Validation(ValidationStatus.INVALID, List.of("line 1"), NOW, "adapter-1"),
            List.of(new TaskDefinition("a", "A", "op", List.of())),
            "dag-1");
    tx(
        () -> {
          workflows().updateValidation(validated);
          return null;
        });
    assertThat(tx(() -> workflows().findRevision(w.id(), 1))).contains(validated);
    assertThat(tx(() -> workflows().findRevision(w.id(), 2))).isEmpty();
  }

  @Test
  public final void runsRoundTripEveryField() {
    Workflow w = storedWorkflow(unique("wf"));
    WorkflowRun run = storedRun(w, Map.of("kaapana.experiment", "e1"));
    WorkflowRun loaded = tx(() -> runs().findForUpdate(run.id()).orElseThrow());
    assertThat(loaded.labels()).isEqualTo(run.labels());
    assertThat(loaded.parameters()).isEqualTo(Map.of("n", 1));
    assertThat(loaded.state()).isEqualTo(RunState.CREATED);
    assertThat(loaded.awaitingClaim()).isTrue();
    assertThat(loaded.createdAt()).isEqualTo(NOW);

    List<io.kaapana.workflow.core.domain.DomainEvent> events = new ArrayList<>();
    UUID token = UUID.randomUUID();
    loaded.claim("adapter-1", token, NOW, events);
    loaded.replaceTaskRunCounts(Map.of(TaskRunState.RUNNING, 2), NOW);
    tx(
        () -> {
          runs().update(loaded);
          return null;
        });
    WorkflowRun claimed = tx(() -> runs().findForUpdate(run.id()).orElseThrow());
    assertThat(claimed.adapterId()).isEqualTo("adapter-1");
    assertThat(claimed.leaseToken()).isEqualTo(token);
    assertThat(claimed.awaitingClaim()).isFalse();
    assertThat(claimed.taskRunCounts()).isEqualTo(Map.of(TaskRunState.RUNNING, 2));
    assertThat(claimed.version()).isEqualTo(loaded.version());

    claimed.applyReport(
        new io.kaapana.workflow.core.domain.StatusReport(
            token, RunState.ERROR, 1, "ext", "boom", NOW, NOW, null, List.of()),
        "a",
        NOW,
        events);
    claimed.request(ActionRequest.retry(RetryScope.ALL, "again"), "u", NOW, events);
    tx(
        () -> {
          runs().updateAll(List.of(claimed));
          return null;
        });
    WorkflowRun retried = tx(() -> runs().findForUpdate(run.id()).orElseThrow());
    assertThat(retried.state()).isEqualTo(RunState.ERROR);
    assertThat(retried.actionRequest()).isEqualTo(ActionRequest.retry(RetryScope.ALL, "again"));
    assertThat(retried.externalId()).isEqualTo("ext");
    assertThat(retried.statusMessage()).isEqualTo("boom");
    assertThat(retried.finishedAt()).isEqualTo(NOW);
  }

  @Test
  public final void matchingRunsFollowSelectorAndStates() {
    Workflow w = storedWorkflow(unique("wf"));
    String experiment = unique("exp");
    WorkflowRun a = storedRun(w, Map.of("kaapana.experiment", experiment, "tier", "gold"));
    WorkflowRun b = storedRun(w, Map.of("kaapana.experiment", experiment));
    storedRun(w, Map.of("kaapana.experiment", unique("other")));
    LabelSelector selector = LabelSelector.equalTo("kaapana.experiment", experiment);
    assertThat(tx(() -> runs().findMatchingForUpdate(selector, Set.of(), 10)))
        .extracting(WorkflowRun::id)
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(
            tx(
                () ->
                    runs()
                        .findMatchingForUpdate(
                            selector.and(LabelSelector.parse("!tier")),
                            Set.of(RunState.CREATED),
                            10)))
        .extracting(WorkflowRun::id)
        .containsExactly(b.id());
    assertThat(tx(() -> runs().findMatchingForUpdate(selector, Set.of(RunState.RUNNING), 10)))
        .isEmpty();
    assertThat(tx(() -> runs().findMatchingForUpdate(selector, Set.of(), 1))).hasSize(1);
  }

  @Test
  public final void taskRunsAreInsertedThenUpdatedById() {
    Workflow w = storedWorkflow(unique("wf"));
    WorkflowRun run = storedRun(w, Map.of());
    TaskRun a =
        new TaskRun(
            UUID.randomUUID(), run.id(), "a", TaskRunState.RUNNING, 1, "x", null, NOW, null, NOW);
    tx(
        () -> {
          runs().saveTaskRuns(List.of(a));
          return null;
        });
    TaskRun done =
        new TaskRun(a.id(), run.id(), "a", TaskRunState.COMPLETED, 2, "x", "ok", NOW, NOW, NOW);
    tx(
        () -> {
          runs().saveTaskRuns(List.of(done));
          return null;
        });
    assertThat(tx(() -> runs().findTaskRuns(run.id()))).containsExactly(done);
    assertThat(tx(() -> runs().findTaskRun(run.id(), a.id()))).contains(done);
    assertThat(tx(() -> runs().findTaskRun(UUID.randomUUID(), a.id()))).isEmpty();
  }

  private WorkflowRun claimedBy(WorkflowRun run, String adapterId) {
    return tx(
        () -> {
          WorkflowRun held = runs().findForUpdate(run.id()).orElseThrow();
          held.claim(adapterId, UUID.randomUUID(), NOW, new ArrayList<>());
          runs().update(held);
          return held;
        });
  }

  @Test
  public final void claimableRunsAreWaitingRunsOfTheEngineMatchingTheSelectorOldestFirst() {
    String engine = unique("eng");
    Workflow w = storedWorkflow(unique("wf"), engine);
    WorkflowRun oldest = storedRun(w, Map.of("site", "a"), NOW);
    WorkflowRun newer = storedRun(w, Map.of("site", "a"), NOW.plusSeconds(1));
    storedRun(w, Map.of("site", "b"), NOW.plusSeconds(2));
    claimedBy(storedRun(w, Map.of("site", "a"), NOW.plusSeconds(3)), "elsewhere");
    storedRun(storedWorkflow(unique("wf"), unique("eng")), Map.of("site", "a"));
    LabelSelector siteA = LabelSelector.parse("site=a");

    assertThat(tx(() -> runs().findClaimableForUpdate(engine, "me", siteA, 10)))
        .extracting(WorkflowRun::id)
        .containsExactly(oldest.id(), newer.id());
    assertThat(tx(() -> runs().findClaimableForUpdate(engine, "me", siteA, 1)))
        .extracting(WorkflowRun::id)
        .containsExactly(oldest.id());
  }

  @Test
  public final void releaseFreesTheRunsThatStillNeedTheirHolderAndOnlyThose() {
    Workflow w = storedWorkflow(unique("wf"), unique("eng"));
    String holder = unique("adapter");
    WorkflowRun active = claimedBy(storedRun(w, Map.of()), holder);
    WorkflowRun chosen = claimedBy(storedRun(w, Map.of()), holder);
    String other = unique("adapter");
    WorkflowRun othersRun = claimedBy(storedRun(w, Map.of()), other);
    WorkflowRun settled = claimedBy(storedRun(w, Map.of()), holder);
    tx(
        () -> {
          WorkflowRun done = runs().findForUpdate(settled.id()).orElseThrow();
          done.forceUpdate(
              done.labels(), RunState.COMPLETED, null, "test", "admin", NOW, new ArrayList<>());
          runs().update(done);
          return null;
        });
    Instant later = NOW.plusSeconds(5);
    long versionBefore = tx(() -> runs().findForUpdate(active.id()).orElseThrow().version());

    assertThat(tx(() -> runs().releaseHeldBy(holder, List.of(chosen.id()), later)))
        .containsExactly(chosen.id());
    assertThat(tx(() -> runs().releaseHeldBy(holder, null, later))).containsExactly(active.id());

    WorkflowRun freed = tx(() -> runs().findForUpdate(active.id()).orElseThrow());
    assertThat(freed.adapterId()).isNull();
    assertThat(freed.leaseToken()).isNull();
    assertThat(freed.awaitingClaim()).isTrue();
    assertThat(freed.updatedAt()).isEqualTo(later);
    assertThat(freed.version()).isEqualTo(versionBefore + 1);
    assertThat(tx(() -> runs().findForUpdate(settled.id()).orElseThrow().adapterId()))
        .isEqualTo(holder);
    assertThat(tx(() -> runs().findForUpdate(othersRun.id()).orElseThrow().adapterId()))
        .isEqualTo(other);
  }

  @Test
  public final void aRevisionToValidateIsTakenOnceUntilItsClaimEnds() {
    String engine = unique("eng");
    Workflow w = storedWorkflow(unique("wf"), engine);
    LabelSelector any = LabelSelector.parse("");

    assertThat(
            tx(
                () ->
                    workflows()
                        .claimValidations(
                            engine, LabelSelector.parse("team=b"), "a-1", NOW, NOW, 10)))
        .isEmpty();
    assertThat(
            tx(
                () ->
                    workflows().claimValidations(engine, any, "a-1", NOW, NOW.plusSeconds(10), 10)))
        .extracting(WorkflowRevision::workflowId)
        .containsExactly(w.id());
    assertThat(
            tx(
                () ->
                    workflows()
                        .claimValidations(
                            engine, any, "a-2", NOW.plusSeconds(1), NOW.plusSeconds(11), 10)))
        .isEmpty();
    assertThat(
            tx(
                () ->
                    workflows()
                        .claimValidations(
                            engine, any, "a-2", NOW.plusSeconds(11), NOW.plusSeconds(21), 10)))
        .hasSize(1);
  }
}
