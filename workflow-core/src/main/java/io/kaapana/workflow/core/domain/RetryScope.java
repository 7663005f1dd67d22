package io.kaapana.workflow.core.domain;

/** What a run retry re-runs: the failed part (default) or every task. */
public enum RetryScope {
  FAILED,
  ALL
}
