package io.kaapana.workflow.service.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.Adapter;
import io.kaapana.workflow.core.domain.Capability;
import io.kaapana.workflow.core.domain.ErrorCode;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowApiException;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.service.logs.LogPage;
import io.kaapana.workflow.service.logs.LogProxy;
import io.kaapana.workflow.service.persistence.RunQueries;
import io.vertx.core.Context;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client's follow of a task log: the lines of each page as {@code log} events, then {@code end}
 * once the attempt's log is complete and the task run has settled. Between pages it holds no
 * thread: waits are timers, adapter requests are asynchronous, the task run's state is read on
 * {@link StreamWork}. The next page is asked for only after the client has taken the previous one,
 * and a client that leaves cancels the request in flight.
 */
final class LogFollow extends SseStream {
  static final int FOLLOW_WAIT_SECONDS = 10;
  private static final long POLL_MILLIS = 1000;
  private static final long SETTLE_POLL_MILLIS = 250;

  private final LogProxy logs;
  private final RunQueries queries;
  private final StreamWork work;
  private final ObjectMapper mapper;
  private final UUID runId;
  private final UUID taskId;
  private final int attempt;
  private final int limit;

  private final ArrayDeque<LogPage.LogLine> pending = new ArrayDeque<>();
  private LogPage last;
  private OutboundSseEvent finalFrame;
  private boolean busy;
  private long timer = -1;
  private CompletableFuture<LogPage> inFlight;

  LogFollow(
      LogProxy logs,
      RunQueries queries,
      StreamWork work,
      ObjectMapper mapper,
      WorkflowRun run,
      TaskRun task,
      int attempt,
      int limit,
      LogPage first,
      Sse sse,
      Context context,
      Runnable disconnect,
      StreamSlots.Slot slot,
      StreamSettings settings) {
    super("log follow of task run " + task.id(), sse, context, disconnect, slot, settings);
    this.logs = logs;
    this.queries = queries;
    this.work = work;
    this.mapper = mapper;
    this.runId = run.id();
    this.taskId = task.id();
    this.attempt = attempt;
    this.limit = limit;
    accept(first);
  }

  @Override
  protected void opened() {}

  @Override
  protected OutboundSseEvent next() {
    if (!pending.isEmpty()) {
      LogPage.LogLine line = pending.poll();
      // the id (the cursor after this page) goes on the page's last line: resuming there loses
      // nothing
      String id = pending.isEmpty() ? SseIds.safe(last.nextCursor()) : null;
      return sse.newEventBuilder().id(id).name("log").data(json(line)).build();
    }
    if (finalFrame != null) {
      OutboundSseEvent frame = finalFrame;
      finalFrame = null;
      context.runOnContext(v -> complete()); // after the frame went out
      return frame;
    }
    if (!busy && !isEnded()) {
      busy = true;
      readTaskRun();
    }
    return null;
  }

  private void accept(LogPage page) {
    last = page;
    pending.addAll(page.lines());
  }

  /** Whether the follow is over, and which adapter to ask: a short database step. */
  private void readTaskRun() {
    try {
      work.execute(
          () -> {
            try {
              WorkflowRun run = queries.find(runId).orElse(null);
              TaskRun task = run == null ? null : queries.findTaskRun(runId, taskId).orElse(null);
              Adapter adapter = null;
              WorkflowApiException unavailable = null;
              if (task != null && !settledAndWhole(task)) {
                try {
                  adapter = logs.choose(run);
                } catch (WorkflowApiException e) {
                  unavailable = e;
                }
              }
              Step step = new Step(run, task, adapter, unavailable);
              context.runOnContext(v -> stepRead(step));
            } catch (RuntimeException e) {
              context.runOnContext(
                  v ->
                      fail(
                          new WorkflowApiException(
                              ErrorCode.SERVICE_UNAVAILABLE,
                              "the task run's state cannot be read; follow again later")));
            }
          });
    } catch (RejectedExecutionException e) {
      fail(new WorkflowApiException(ErrorCode.SERVICE_UNAVAILABLE, "the service is overloaded"));
    }
  }

  private record Step(
      WorkflowRun run, TaskRun task, Adapter adapter, WorkflowApiException unavailable) {}

  private boolean settledAndWhole(TaskRun task) {
    boolean settled = task.state().isSettled() || task.attempt() > attempt;
    return settled && last.complete() && last.lines().isEmpty();
  }

  private void stepRead(Step step) {
    if (isEnded()) {
      return;
    }
    if (step.task() == null) {
      fail(WorkflowApiException.notFound("task run " + taskId + " of run " + runId));
      return;
    }
    if (step.adapter() == null && step.unavailable() == null) {
      finalFrame =
          sse.newEventBuilder()
              .id(SseIds.safe(last.nextCursor()))
              .name("end")
              .data("{\"complete\":true}")
              .build();
      schedule();
      return;
    }
    if (step.unavailable() != null) {
      fail(step.unavailable());
      return;
    }
    long delay;
    int waitSeconds;
    if (!last.lines().isEmpty()) {
      delay = 0; // there may be more right away
      waitSeconds = 0;
    } else if (last.complete()) {
      delay = SETTLE_POLL_MILLIS; // the log is whole; the task run's final report is missing
      waitSeconds = 0;
    } else if (step.adapter().capabilities().contains(Capability.LOG_FOLLOW)) {
      delay = 0; // the adapter waits for new lines itself
      waitSeconds = FOLLOW_WAIT_SECONDS;
    } else {
      delay = POLL_MILLIS;
      waitSeconds = 0;
    }
    if (delay == 0) {
      fetch(step, waitSeconds);
    } else {
      timer =
          context
              .owner()
              .setTimer(
                  delay,
                  id -> {
                    timer = -1;
                    if (!isEnded()) {
                      fetch(step, waitSeconds);
                    }
                  });
    }
  }

  private void fetch(Step step, int waitSeconds) {
    long started = System.currentTimeMillis();
    inFlight =
        logs.fetchAsync(
            step.adapter(),
            step.run(),
            step.task(),
            attempt,
            last.nextCursor(),
            limit,
            waitSeconds);
    inFlight.whenComplete(
        (page, failure) ->
            context.runOnContext(
                v -> {
                  inFlight = null;
                  if (isEnded()) {
                    return;
                  }
                  if (failure != null) {
                    fail(failure);
                    return;
                  }
                  busy = false;
                  accept(page);
                  if (page.lines().isEmpty()
                      && !page.complete()
                      && waitSeconds > 0
                      && System.currentTimeMillis() - started < POLL_MILLIS) {
                    // an adapter that did not wait is not asked in a loop
                    busy = true;
                    timer =
                        context
                            .owner()
                            .setTimer(
                                POLL_MILLIS,
                                id -> {
                                  timer = -1;
                                  busy = false;
                                  schedule();
                                });
                    return;
                  }
                  schedule();
                }));
  }

  /** Ends the follow with an {@code error} event that says why. */
  private void fail(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    WorkflowApiException problem =
        cause instanceof WorkflowApiException e
            ? e
            : new WorkflowApiException(ErrorCode.ADAPTER_UNAVAILABLE, "the log cannot be read");
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", problem.code().slug());
    body.put("detail", problem.getMessage());
    busy = true;
    finalFrame = sse.newEventBuilder().name("error").data(json(body)).build();
    schedule();
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a log line as JSON", e);
    }
  }

  @Override
  protected void closed() {
    pending.clear();
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    if (inFlight != null) {
      inFlight.cancel(true);
      inFlight = null;
    }
  }
}
