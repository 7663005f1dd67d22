// A timeline of task attempts, computed from a run's events: an attempt starts at its first
// RUNNING and ends at its first settled state; one still running reaches "now".

import {h, s, duration, time} from './dom.js';
import {isSettled} from './states.js';


/**
 * [{task, attempt, start, end, state}] in the order the attempts started. The task runs' own
 * started_at / finished_at (the engine's times) replace the event times for current attempts.
 */
export function attemptsFromEvents(events, taskRuns = []) {
  const byKey = new Map();
  for (const e of events) {
    if (e.type !== 'task_run.status_changed' || !e.data) continue;
    const task = e.data.task_title;
    const attempt = e.data.attempt || 1;
    if (!task) continue;
    const key = `${task}\u0000${attempt}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = {task, attempt, start: null, end: null, state: e.to};
      byKey.set(key, entry);
    }
    entry.state = e.to;
    if (e.to === 'RUNNING' && !entry.start) entry.start = e.created_at;
    if (isSettled(e.to) && !entry.end) entry.end = e.created_at;
    if (isSettled(e.to) && !entry.start && e.to !== 'UPSTREAM_FAILED' && e.to !== 'SKIPPED') entry.start = e.created_at;
  }
  for (const t of taskRuns) {
    const entry = byKey.get(`${t.task_title}\u0000${t.attempt}`);
    if (!entry) continue;
    if (t.started_at) entry.start = t.started_at;
    if (t.finished_at && t.started_at) entry.end = t.finished_at;
    entry.state = t.lifecycle_status;
  }
  return [...byKey.values()].filter((a) => a.start)
    .sort((a, b) => new Date(a.start) - new Date(b.start) || a.attempt - b.attempt);
}

export function gantt(attempts) {
  if (!attempts.length) return h('p', {class: 'muted'}, 'No task has started yet.');
  const now = Date.now();
  const starts = attempts.map((a) => new Date(a.start).getTime());
  const ends = attempts.map((a) => (a.end ? new Date(a.end).getTime() : now));
  const t0 = Math.min(...starts);
  const span = Math.max(1000, Math.max(...ends) - t0);
  const labelWidth = 190;
  const width = 900;
  const row = 24;
  const plot = width - labelWidth - 40; // room for the last tick's label
  const height = attempts.length * row + 28;
  const x = (t) => labelWidth + ((t - t0) / span) * plot;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * span);
  return s('svg', {class: 'gantt', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Timeline of ${attempts.length} task attempts`},
  ticks.map((t) => s('g', {},
    s('line', {class: 'tick', x1: x(t), x2: x(t), y1: 0, y2: height - 20}),
    s('text', {class: 'tick-label', x: x(t), y: height - 6, 'text-anchor': 'middle'}, `+${duration(t0, t)}`))),
  attempts.map((a, i) => {
    const start = starts[i];
    const end = ends[i];
    const y = i * row + 4;
    const label = `${a.task}${a.attempt > 1 ? ` #${a.attempt}` : ''}`;
    return s('g', {class: `bar state-${a.state.toLowerCase()}`, 'data-task': a.task, 'data-attempt': a.attempt},
      s('title', {}, `${label}: ${a.state}, ${time(a.start)} – ${a.end ? time(a.end) : 'now'} (${duration(a.start, a.end)})`),
      s('text', {class: 'bar-label', x: labelWidth - 8, y: y + 14, 'text-anchor': 'end'}, label),
      s('rect', {x: x(start), y, width: Math.max(3, x(end) - x(start)), height: row - 8, rx: 3}));
  }));
}
