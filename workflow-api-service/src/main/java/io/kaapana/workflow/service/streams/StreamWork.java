package io.kaapana.workflow.service.streams;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The short blocking steps of open streams (a page of older events, a task run's state), on a few
 * threads of their own so that streams can neither take the request workers nor queue without
 * bound: the queue holds at most one step per allowed stream. Pages of older events also take one
 * of {@code kaapana.streams.catch-up-readers} permits while they are held in memory.
 */
@ApplicationScoped
public class StreamWork {
  private final ThreadPoolExecutor executor;
  private final Semaphore catchUpPermits;

  public StreamWork(StreamSettings settings) {
    AtomicInteger count = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(Math.max(16, settings.maxConcurrent())),
            r -> {
              Thread t = new Thread(r, "stream-work-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    this.catchUpPermits = new Semaphore(settings.catchUpReaders());
  }

  /** Runs a blocking step; refused (RejectedExecutionException) only when the queue is full. */
  public void execute(Runnable step) {
    executor.execute(step);
  }

  boolean tryTakeCatchUpPermit() {
    return catchUpPermits.tryAcquire();
  }

  void returnCatchUpPermit() {
    catchUpPermits.release();
  }

  void stop(@Observes ShutdownEvent event) {
    executor.shutdownNow();
  }
}
