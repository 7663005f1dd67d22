package io.kaapana.workflow.core.domain;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What an adapter can do in its engine; the service refuses requests no holder can serve. */
public enum Capability {
  CANCEL,
  RETRY_RUN,
  RETRY_TASK,
  LOGS,
  LOG_FOLLOW,
  VALIDATE;

  /** An unmodifiable copy in declaration order (so that lists of them read the same every time). */
  public static Set<Capability> ordered(Collection<Capability> capabilities) {
    return capabilities.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
  }
}
