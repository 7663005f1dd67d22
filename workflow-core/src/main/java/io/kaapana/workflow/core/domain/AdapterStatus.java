package io.kaapana.workflow.core.domain;

/** Whether an adapter is heard from: ACTIVE while its heartbeats arrive within its lease. */
public enum AdapterStatus {
  ACTIVE,
  /** Its lease ran out without a heartbeat; the runs it held were released. */
  LOST
}
