package io.kaapana.workflow.core.domain;

/** Why runs were taken from the adapter that held them (the {@code reason} of run.released). */
public enum ReleaseReason {
  /** Its heartbeats stopped for longer than its lease. */
  ADAPTER_LOST("adapter-lost"),
  /** It deregistered at a clean shutdown. */
  DEREGISTERED("deregistered"),
  /** A claim took them after its caller had gone, so they were never handed over. */
  CLAIM_UNDELIVERED("claim-undelivered");

  private final String slug;

  ReleaseReason(String slug) {
    this.slug = slug;
  }

  public String slug() {
    return slug;
  }
}
