package io.kaapana.workflow.core.application;

import io.kaapana.workflow.core.domain.ActionRequest;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.core.port.in.IdempotentRunCommands;
import io.kaapana.workflow.core.port.in.RunCommands;
import io.kaapana.workflow.core.port.in.RunCommands.CreateRun;
import io.kaapana.workflow.core.port.out.IdempotencyKeys;
import io.kaapana.workflow.core.port.out.RunRepository;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** {@link IdempotentRunCommands} over {@link RunCommands} and the remembered keys. */
public class IdempotentRunService implements IdempotentRunCommands {
  private final RunCommands runs;
  private final RunRepository runRepository;
  private final IdempotencyKeys keys;
  private final Clock clock;

  public IdempotentRunService(
      RunCommands runs, RunRepository runRepository, IdempotencyKeys keys, Clock clock) {
    this.runs = runs;
    this.runRepository = runRepository;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public Result create(CreateRun command, Key key) {
    return once(key, () -> new Result(runs.create(command), Outcome.CREATED, false));
  }

  @Override
  public Result request(
      UUID runId, ActionRequest action, Long expectedVersion, String actor, Key key) {
    return once(
        key,
        () -> {
          RunCommands.RequestResult result = runs.request(runId, action, expectedVersion, actor);
          return new Result(
              result.run(), result.applied() ? Outcome.APPLIED : Outcome.ACCEPTED, false);
        });
  }

  @Override
  public Result requestTaskRetry(UUID runId, UUID taskRunId, String reason, String actor, Key key) {
    return once(
        key,
        () ->
            new Result(
                runs.requestTaskRetry(runId, taskRunId, reason, actor).run(),
                Outcome.ACCEPTED,
                false));
  }

  private Result once(Key key, Supplier<Result> work) {
    if (!key.present()) {
      return work.get();
    }
    Optional<IdempotencyKeys.Prior> prior =
        keys.claim(key.scope(), key.key(), key.requestHash(), clock.instant());
    if (prior.isPresent()) {
      return replay(prior.get(), key);
    }
    Result result = work.get();
    keys.complete(key.scope(), key.key(), result.run().id(), result.outcome());
    return result;
  }

  private Result replay(IdempotencyKeys.Prior prior, Key key) {
    if (!prior.requestHash().equals(key.requestHash())) {
      throw new WorkflowApiException(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          "this idempotency key was used with a different request body; use a new key for a new"
              + " request");
    }
    WorkflowRun run =
        runRepository
            .findForUpdate(prior.resourceId())
            .orElseThrow(() -> WorkflowApiException.notFound("workflow run " + prior.resourceId()));
    return new Result(run, prior.outcome(), true);
  }
}
