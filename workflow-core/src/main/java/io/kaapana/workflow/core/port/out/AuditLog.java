package io.kaapana.workflow.core.port.out;

/** Records admin actions: who did what to which object, with the state before and after. */
public interface AuditLog {
  void record(
      String actor,
      String action,
      String objectType,
      String objectId,
      Object before,
      Object after,
      String reason);
}
