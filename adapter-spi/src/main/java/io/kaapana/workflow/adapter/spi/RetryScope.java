package io.kaapana.workflow.adapter.spi;

/** What a run retry re-runs. */
public enum RetryScope {
  /** The tasks that did not complete (failed, canceled, upstream failed) and their downstream. */
  FAILED,
  /** Every task. */
  ALL
}
