package io.kaapana.workflow.adapter.runtime;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.Deployment;
import io.kaapana.workflow.adapter.spi.RetryScope;
import io.kaapana.workflow.adapter.spi.RevisionSpec;
import io.kaapana.workflow.adapter.spi.RunObservation;
import io.kaapana.workflow.adapter.spi.RunRef;
import io.kaapana.workflow.adapter.spi.RunSpec;
import io.kaapana.workflow.adapter.spi.WorkflowAdapter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.List;
import java.util.Locale;

/**
 * Every call into the adapter, timed into the engine metrics, with the plugin's class loader as the
 * thread's context class loader (libraries inside a plugin look up their classes through it), and
 * with a runtime exception of the adapter turned into an {@code ENGINE_ERROR}.
 */
final class EngineCalls {
  private static final AttributeKey<String> WORKFLOW_ENGINE =
      AttributeKey.stringKey("kaapana.workflow_engine");

  private final WorkflowAdapter adapter;
  private final EngineMetrics metrics;
  private final ClassLoader pluginLoader;
  private final RunTracing tracing;
  private final Attributes engine;

  EngineCalls(
      WorkflowAdapter adapter, EngineMetrics metrics, RunTracing tracing, String workflowEngine) {
    this.adapter = adapter;
    this.metrics = metrics;
    this.pluginLoader = adapter.getClass().getClassLoader();
    this.tracing = tracing;
    this.engine = Attributes.of(WORKFLOW_ENGINE, workflowEngine);
  }

  Deployment deploy(RevisionSpec revision) throws AdapterException {
    return traced("deploy", () -> adapter.deploy(revision));
  }

  String submit(RunSpec run) throws AdapterException {
    return traced("submit", () -> adapter.submit(run));
  }

  RunObservation observe(RunRef run) throws AdapterException {
    return timed("observe", () -> adapter.observe(run));
  }

  List<RunObservation> observeAll(List<RunRef> runs) throws AdapterException {
    return timed("observe_all", () -> adapter.observeAll(runs));
  }

  void cancel(RunRef run, boolean force) throws AdapterException {
    traced(
        "cancel",
        () -> {
          adapter.cancel(run, force);
          return null;
        });
  }

  int retry(RunSpec run, RetryScope scope) throws AdapterException {
    return traced("retry", () -> adapter.retry(run, scope));
  }

  int retryTask(RunSpec run, String taskTitle) throws AdapterException {
    return traced("retry_task", () -> adapter.retryTask(run, taskTitle));
  }

  void retire(String workflowId, List<String> engineRefs) throws AdapterException {
    timed(
        "retire",
        () -> {
          adapter.retire(workflowId, engineRefs);
          return null;
        });
  }

  private interface Call<T> {
    T call() throws AdapterException;
  }

  /**
   * A call that changes the engine: also a span ({@code engine.<operation>}) in the current trace
   * (the run's, see {@link RunTracing}). Observations are not spans: they repeat every few seconds.
   */
  private <T> T traced(String operation, Call<T> call) throws AdapterException {
    return tracing.inSpan("engine." + operation, engine, () -> timed(operation, call));
  }

  private <T> T timed(String operation, Call<T> call) throws AdapterException {
    long started = System.nanoTime();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(pluginLoader);
    try {
      T result = call.call();
      metrics.engineCall(operation, "ok", System.nanoTime() - started);
      return result;
    } catch (AdapterException e) {
      metrics.engineCall(
          operation, e.code().name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
      throw e;
    } catch (RuntimeException e) {
      metrics.engineCall(operation, "exception", System.nanoTime() - started);
      throw new AdapterException(ErrorCode.ENGINE_ERROR, "the adapter failed: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
