package io.kaapana.workflow.adapter.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * One engine, as the adapter runtime drives it.
 *
 * <p><b>What the runtime guarantees.</b> It calls {@link #deploy(RevisionSpec)} for a revision, and
 * gets a valid {@link Deployment}, before it submits the first run of that revision in this adapter
 * instance. It never calls two methods for the same run at the same time (calls for different runs,
 * and {@link #readLogs}/{@link #followLogs} for any run, may run concurrently). It only calls the
 * methods behind the capabilities the adapter declares. It calls {@link #close()} once, last, and
 * then no other method.
 *
 * <p><b>What the adapter guarantees.</b> Every method is thread-safe. Submitting is idempotent: the
 * engine run id derives from {@link RunRef#runId()}, so a repeated submit — by this instance or by
 * another one after a take-over — finds the run the first submit made. Failures are {@link
 * AdapterException}s with a code; a {@link AdapterException.ErrorCode#UNAVAILABLE} one is retried
 * by the runtime with backoff, every other one is reported.
 */
public interface WorkflowAdapter extends AutoCloseable {

  /** What this adapter can do beyond deploy, submit and observe. Constant for its lifetime. */
  Set<Capability> capabilities();

  /**
   * Deploys a revision in the engine and checks it. Idempotent: deploying the same revision again
   * gives the same result and engine reference.
   *
   * @return a valid deployment with the task graph and engine reference, or an invalid one whose
   *     messages say precisely what is wrong
   * @throws AdapterException when the engine could not be asked (not for an invalid definition)
   */
  Deployment deploy(RevisionSpec revision) throws AdapterException;

  /**
   * Starts a run, or finds the one an earlier submit of the same run started.
   *
   * @return the engine's run id
   * @throws AdapterException {@link AdapterException.ErrorCode#REJECTED} when the engine refuses
   *     the definition or parameters (the run ends in ERROR with the message)
   */
  String submit(RunSpec run) throws AdapterException;

  /**
   * Observes one run.
   *
   * @throws AdapterException {@link AdapterException.ErrorCode#NOT_FOUND} when the engine has no
   *     such run
   */
  RunObservation observe(RunRef run) throws AdapterException;

  /**
   * Observes many runs, with as few engine calls as the engine allows. Runs the engine does not
   * know are left out of the result; the order of the result is not specified.
   */
  default List<RunObservation> observeAll(Collection<RunRef> runs) throws AdapterException {
    List<RunObservation> observations = new ArrayList<>(runs.size());
    for (RunRef run : runs) {
      try {
        observations.add(observe(run));
      } catch (AdapterException e) {
        if (e.code() != AdapterException.ErrorCode.NOT_FOUND) {
          throw e;
        }
      }
    }
    return observations;
  }

  /**
   * Stops a run ({@link Capability#CANCEL}). Returns once the engine accepted the request; the run
   * reaches {@link EngineRunState#CANCELED} in a later observation. Cancelling a settled run is a
   * no-op.
   *
   * @param force stop at once, skipping the engine's clean-up steps (exit handlers, grace periods)
   */
  default void cancel(RunRef run, boolean force) throws AdapterException {
    throw AdapterException.unsupported(Capability.CANCEL);
  }

  /**
   * Re-runs a settled run that failed or was canceled ({@link Capability#RETRY_RUN}): with {@link
   * RetryScope#FAILED} the tasks that did not complete and their downstream, with {@link
   * RetryScope#ALL} every task.
   *
   * @return the new attempt of the run, normally {@code run.ref().attempt() + 1}
   */
  default int retry(RunSpec run, RetryScope scope) throws AdapterException {
    throw AdapterException.unsupported(Capability.RETRY_RUN);
  }

  /**
   * Re-runs one task and its downstream ({@link Capability#RETRY_TASK}).
   *
   * @return the new attempt of the run
   */
  default int retryTask(RunSpec run, String taskTitle) throws AdapterException {
    throw AdapterException.unsupported(Capability.RETRY_TASK);
  }

  /**
   * Reads log lines of one task attempt ({@link Capability#LOGS}) without waiting. The query's run
   * carries the run's external id; its engine reference may be null.
   *
   * @throws AdapterException {@link AdapterException.ErrorCode#NOT_FOUND} for an unknown task or
   *     attempt, {@link AdapterException.ErrorCode#INVALID_REQUEST} for a cursor this adapter did
   *     not hand out
   */
  default LogPage readLogs(LogQuery query) throws AdapterException {
    throw AdapterException.unsupported(Capability.LOGS);
  }

  /**
   * Like {@link #readLogs(LogQuery)}, but waits up to {@code maxWait} for lines after the cursor
   * while the attempt is still running ({@link Capability#LOG_FOLLOW}). Returns as soon as there
   * are lines, the attempt completes, or the wait is over.
   */
  default LogPage followLogs(LogQuery query, Duration maxWait) throws AdapterException {
    throw AdapterException.unsupported(Capability.LOG_FOLLOW);
  }

  /**
   * The workflow was archived: it gets no new runs. The adapter may retire what it deployed for
   * these revisions (the Airflow adapter pauses their DAGs, so no schedule starts them either);
   * runs that are still going on are left alone. Idempotent: the runtime calls it for every
   * archived workflow of this engine once after each start. By default nothing happens.
   *
   * @param engineRefs the engine references of the workflow's deployed revisions
   */
  default void retire(String workflowId, List<String> engineRefs) throws AdapterException {}

  /** Frees what the adapter holds (threads, connections). Engine runs go on. Idempotent. */
  @Override
  void close();
}
