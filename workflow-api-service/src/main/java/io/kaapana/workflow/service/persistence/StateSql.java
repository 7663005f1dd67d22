package io.kaapana.workflow.service.persistence;

import io.kaapana.workflow.core.domain.RunState;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * SQL lists of run states, built from {@link RunState} itself, so that which states are active is
 * decided in one place. (The partial indexes of migrations V5 and V6 spell the active states out,
 * as migrations must; {@code StateSqlTest} checks that they still agree.)
 */
public final class StateSql {
  /** {@code ('CREATED', 'PENDING', 'SCHEDULED', 'RUNNING')}. */
  public static final String ACTIVE_RUN_STATES = list(RunState::isActive);

  /** {@code ('COMPLETED', 'ERROR', 'CANCELED')}. */
  public static final String SETTLED_RUN_STATES = list(RunState::isSettled);

  private StateSql() {}

  private static String list(Predicate<RunState> which) {
    return Arrays.stream(RunState.values())
        .filter(which)
        .map(state -> "'" + state.name() + "'")
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
