// The lifecycle's state names, in one place (lifecycle.md). Runs and task runs share the states
// of a run that has not settled; every other state is settled.

export const RUN_STATES = ['CREATED', 'PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'ERROR', 'CANCELED'];

/** The states of a run or task run that has not settled yet. */
export const UNSETTLED_STATES = ['CREATED', 'PENDING', 'SCHEDULED', 'RUNNING'];

/** As the runs list's lifecycle_status filter takes them: what an adapter holds. */
export const UNSETTLED = UNSETTLED_STATES.join(',');

export const SETTLED_RUN_STATES = RUN_STATES.filter((st) => !UNSETTLED_STATES.includes(st));

export function isSettled(state) {
  return !UNSETTLED_STATES.includes(state);
}
