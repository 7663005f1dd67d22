package io.kaapana.workflow.adapter.spi;

import java.util.Objects;

/**
 * Names a run the adapter submitted, for observing, cancelling and reading logs.
 *
 * @param runId the Workflow API's run id (a UUID as text); engine run ids derive from it
 * @param externalId the engine's run id as reported after submit; null before the first submit
 * @param engineRef the deployed definition's engine name (from {@link Deployment#engineRef()})
 * @param attempt the run's attempt as the Workflow API knows it, from 1
 */
public record RunRef(String runId, String externalId, String engineRef, int attempt) {
  public RunRef {
    Objects.requireNonNull(runId, "runId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1");
    }
  }
}
