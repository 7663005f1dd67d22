package io.kaapana.workflow.service.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaapana.workflow.core.domain.TaskRun;
import io.kaapana.workflow.core.domain.WorkflowRun;
import io.kaapana.workflow.service.logs.LogPage;
import io.kaapana.workflow.service.logs.LogProxy;
import io.kaapana.workflow.service.persistence.RunQueries;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.concurrent.Flow;

/** Opens log follows: the entry point the REST resource uses. */
@ApplicationScoped
public class LogFollows {
  /** Lines per page of a follow, whatever page size the client asked for. */
  public static final int MAX_PAGE = 500;

  private final LogProxy logs;
  private final RunQueries queries;
  private final StreamWork work;
  private final StreamSlots slots;
  private final StreamSettings settings;
  private final ObjectMapper mapper;
  private final Vertx vertx;

  public LogFollows(
      LogProxy logs,
      RunQueries queries,
      StreamWork work,
      StreamSlots slots,
      StreamSettings settings,
      ObjectMapper mapper,
      Vertx vertx) {
    this.logs = logs;
    this.queries = queries;
    this.work = work;
    this.slots = slots;
    this.settings = settings;
    this.mapper = mapper;
    this.vertx = vertx;
  }

  /**
   * Follows the log of one attempt from {@code cursor}. The first page is read before the stream
   * starts, so that an unavailable adapter or an unknown attempt is a problem answer, not a broken
   * stream; a full instance refuses with 429.
   */
  public Flow.Publisher<OutboundSseEvent> open(
      WorkflowRun run,
      TaskRun task,
      int attempt,
      String cursor,
      int limit,
      Sse sse,
      RoutingContext routing) {
    StreamSlots.Slot slot = slots.acquire();
    try {
      int pageSize = Math.min(limit, MAX_PAGE);
      LogPage first = logs.fetch(run, task, attempt, cursor, pageSize);
      LogFollow follow =
          new LogFollow(
              logs,
              queries,
              work,
              mapper,
              run,
              task,
              attempt,
              pageSize,
              first,
              sse,
              SseStream.requestContext(vertx),
              EventStreams.disconnect(routing),
              slot,
              settings);
      routing.addEndHandler(done -> follow.cancel());
      return follow;
    } catch (RuntimeException e) {
      slot.release();
      throw e;
    }
  }
}
