// One run: its facts, the task graph coloured by state and attempt, the attempts' timeline, the
// event history, and CANCEL / RETRY. Everything follows the run's event stream.

import {h, badge, labelChips, time, duration, problemNotice, fill, append} from '../dom.js';
import {call, listAll} from '../api.js';
import {link} from '../router.js';
import {openStream} from '../sse.js';
import {taskGraph} from '../graph.js';
import {attemptsFromEvents, gantt} from '../gantt.js';
import {debounced, liveBadge} from './common.js';

const MAX_HISTORY = 5000;

export async function runPage(page) {
  const id = page.params.id;
  const path = `v1/workflow-runs/${encodeURIComponent(id)}`;
  // The history first: the stream resumes after its last event, and the run and its task runs,
  // read afterwards, are at least that new, so nothing falls between the two.
  const history = await listAll(`${path}/events`, {}, MAX_HISTORY);
  let run = await call(path);
  if (!page.current) return;
  page.title(`Run ${run.workflow.title}`);
  const revision = await call(`v1/workflows/${encodeURIComponent(run.workflow.id)}/revisions/${run.workflow.increment}`)
    .catch(() => null);
  let taskRuns = await listAll(`${path}/task-runs`, {order: 'asc'});
  if (!page.current) return;
  const seen = new Set(history.map((e) => e.seq));
  let selected = page.query.get('task') || null;

  const live = liveBadge();
  const heading = h('h1', {});
  const facts = h('div');
  const graphBox = h('div', {class: 'graph-box'});
  const taskPanel = h('div', {class: 'task-panel', 'aria-live': 'polite'});
  const taskTable = h('tbody');
  const timeline = h('div', {class: 'timeline-box'});
  const historyBody = h('tbody');
  const outcome = h('div', {'aria-live': 'polite'});

  function draw() {
    fill(heading, run.workflow.title, ' ', badge(run.lifecycle_status),
      run.attempt > 1 ? h('span', {class: 'tag'}, `attempt ${run.attempt}`) : null,
      run.requested_action ? h('span', {class: 'tag'}, `${run.requested_action} requested`) : null, ' ', live.element);
    fill(facts, h('dl', {class: 'facts'},
      h('dt', {}, 'Run'), h('dd', {}, h('code', {}, run.id)),
      h('dt', {}, 'Workflow'), h('dd', {}, h('a', {href: link(['workflows', run.workflow.id], {increment: run.workflow.increment})},
        `${run.workflow.title} · revision ${run.workflow.increment}`)),
      h('dt', {}, 'State'), h('dd', {id: 'run-state', 'data-state': run.lifecycle_status}, run.lifecycle_status),
      h('dt', {}, 'Status message'), h('dd', {id: 'run-message'}, run.status_message || '—'),
      h('dt', {}, 'Created'), h('dd', {}, time(run.created_at)),
      h('dt', {}, 'Started'), h('dd', {}, time(run.started_at)),
      h('dt', {}, 'Finished'), h('dd', {}, time(run.finished_at)),
      h('dt', {}, 'Duration'), h('dd', {}, duration(run.started_at, run.finished_at)),
      h('dt', {}, 'Engine'), h('dd', {}, run.workflow_engine, run.adapter_id ? ` · adapter ${run.adapter_id}` : ''),
      h('dt', {}, 'External id'), h('dd', {}, run.external_id ? h('code', {}, run.external_id) : '—'),
      h('dt', {}, 'Labels'), h('dd', {}, labelChips(run.labels)),
      h('dt', {}, 'Parameters'), h('dd', {}, h('pre', {class: 'code small'}, JSON.stringify(run.parameters, null, 2)))));

    const states = new Map(taskRuns.map((t) => [t.task_title, {state: t.lifecycle_status, attempt: t.attempt}]));
    const tasks = revision && revision.tasks && revision.tasks.length ? revision.tasks
      : taskRuns.map((t) => ({title: t.task_title, display_name: t.task_title, downstream: []}));
    const focused = graphBox.contains(document.activeElement) ? document.activeElement.dataset.task : null;
    fill(graphBox, tasks.length ? taskGraph(tasks, {states, selected, onSelect: (title) => {
      selected = title;
      draw();
    }}) : h('p', {class: 'muted'}, 'No adapter has reported the tasks of this revision yet.'),
    run.lifecycle_status === 'CREATED' && !run.adapter_id
      ? h('p', {class: 'notice warn'}, `Waiting for an adapter of engine ${run.workflow_engine} to take this run: see `,
        h('a', {href: '#/adapters'}, 'Adapters'), '.')
      : null);
    if (focused) {
      const again = [...graphBox.querySelectorAll('[data-task]')].find((n) => n.dataset.task === focused);
      if (again) again.focus();
    }
    fill(taskPanel, selectedTask());
    fill(taskTable, ...taskRuns.map((t) => h('tr', {'data-task': t.task_title, 'data-state': t.lifecycle_status},
      h('td', {}, h('button', {type: 'button', class: 'linkish', onclick: () => {
        selected = t.task_title;
        draw();
      }}, t.task_title)),
      h('td', {}, badge(t.lifecycle_status)),
      h('td', {}, String(t.attempt)),
      h('td', {}, time(t.started_at)),
      h('td', {}, duration(t.started_at, t.finished_at)),
      h('td', {class: 'message'}, t.status_message || ''),
      h('td', {}, h('a', {href: link(['runs', run.id, 'tasks', t.id], {attempt: t.attempt})}, 'Log')))));
    fill(timeline, gantt(attemptsFromEvents(history, taskRuns)));
    fill(historyBody, ...[...history].reverse().map((e) => h('tr', {},
      h('td', {class: 'mono'}, String(e.seq)),
      h('td', {}, time(e.created_at)),
      h('td', {}, e.type),
      h('td', {}, e.data && e.data.task_title ? e.data.task_title : ''),
      h('td', {}, e.from ?? ''),
      h('td', {}, e.to ?? ''),
      h('td', {}, e.actor || ''),
      h('td', {class: 'message'}, eventDetail(e)))));
  }

  function selectedTask() {
    const task = taskRuns.find((t) => t.task_title === selected);
    if (!task) return h('p', {class: 'muted'}, 'Select a task in the graph to see it here.');
    return h('section', {'aria-label': `Task ${task.task_title}`},
      h('h3', {}, task.task_title, ' ', badge(task.lifecycle_status), task.attempt > 1 ? h('span', {class: 'tag'}, `attempt ${task.attempt}`) : null),
      h('dl', {class: 'facts'},
        h('dt', {}, 'Started'), h('dd', {}, time(task.started_at)),
        h('dt', {}, 'Finished'), h('dd', {}, time(task.finished_at)),
        h('dt', {}, 'Message'), h('dd', {}, task.status_message || '—')),
      h('div', {class: 'actions'},
        h('a', {class: 'button', href: link(['runs', run.id, 'tasks', task.id], {attempt: task.attempt})}, 'Open log'),
        h('button', {type: 'button', onclick: () => act(`${path}/task-runs/${encodeURIComponent(task.id)}/events`,
          {type: 'RETRY', reason: reason.value || undefined}, `Retry of ${task.task_title}`)}, `Retry ${task.task_title}`)));
  }

  const reason = h('input', {type: 'text', id: 'action-reason', maxlength: 1000, placeholder: 'why (recorded in the history)'});
  const scope = h('select', {id: 'retry-scope'}, h('option', {value: 'FAILED'}, 'failed tasks and what follows'),
    h('option', {value: 'ALL'}, 'all tasks'));
  const force = h('input', {type: 'checkbox', id: 'cancel-force'});

  async function act(target, body, what) {
    fill(outcome, h('p', {class: 'muted'}, `${what}: sending…`));
    try {
      const answer = await call(target, {method: 'POST', body, headers: {'Idempotency-Key': crypto.randomUUID()}});
      fill(outcome, h('div', {class: 'notice ok', role: 'status'}, `${what} accepted`,
        answer && answer.requested_action ? ` (${answer.requested_action} requested)` : ''));
      refresh();
    } catch (error) {
      fill(outcome, h('div', {}, h('p', {}, `${what} refused:`), problemNotice(error)));
    }
  }

  const refresh = debounced(async () => {
    try {
      const [fresh, tasks] = await Promise.all([call(path), listAll(`${path}/task-runs`, {order: 'asc'})]);
      if (!page.current) return;
      run = fresh;
      taskRuns = tasks;
      draw();
    } catch (e) {
      if (page.current) fill(outcome, problemNotice(e));
    }
  }, 300);

  const lastSeq = history.length ? history[history.length - 1].seq : null;
  const stream = openStream('v1/events', {workflow_run_id: id, after: lastSeq === null ? 0 : null}, {
    lastEventId: lastSeq,
    onEvent: (type, event) => {
      if (event && typeof event === 'object' && !seen.has(event.seq)) {
        seen.add(event.seq);
        history.push(event);
        if (history.length > MAX_HISTORY) seen.delete(history.shift().seq);
      }
      refresh();
    },
    onState: (state, detail) => {
      live.set(state, detail);
      if (state === 'open') refresh(); // after a reconnect: what changed while the stream was away
    },
  });
  // A running attempt's bar and durations grow while nothing else happens.
  const ticker = setInterval(() => {
    if (!run.finished_at) draw();
  }, 5000);
  page.onLeave(() => {
    stream.close();
    refresh.cancel();
    clearInterval(ticker);
  });

  draw();
  append(page.main, [
    h('p', {class: 'crumbs'}, h('a', {href: '#/runs'}, 'Runs'), ' / ', h('a', {href: link(['runs'], {workflow_id: run.workflow.id})}, run.workflow.title), ' /'),
    heading,
    h('section', {class: 'run-actions', 'aria-label': 'Actions'},
      h('div', {class: 'field'}, h('label', {for: 'action-reason'}, 'Reason'), reason),
      h('div', {class: 'actions'},
        h('button', {type: 'button', id: 'cancel-run', class: 'danger', onclick: () => act(`${path}/events`,
          {type: 'CANCEL', reason: reason.value || undefined, force: force.checked || undefined}, 'Cancel')}, 'Cancel run'),
        h('label', {class: 'inline'}, force, ' force'),
        h('span', {class: 'spacer'}),
        h('label', {for: 'retry-scope'}, 'Retry'), scope,
        h('button', {type: 'button', id: 'retry-run', onclick: () => act(`${path}/events`,
          {type: 'RETRY', reason: reason.value || undefined, scope: scope.value}, 'Retry')}, 'Retry run')),
      outcome),
    h('div', {class: 'split'},
      h('section', {'aria-label': 'Task graph'}, h('h2', {}, 'Task graph'), graphBox),
      h('aside', {}, taskPanel)),
    h('section', {'aria-label': 'Task runs'}, h('h2', {}, 'Task runs'),
      h('table', {class: 'list'}, h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'State'), h('th', {}, 'Attempt'),
        h('th', {}, 'Started'), h('th', {}, 'Duration'), h('th', {}, 'Message'), h('th', {}, 'Log'))), taskTable)),
    h('section', {'aria-label': 'Timeline'}, h('h2', {}, 'Timeline'), timeline),
    facts,
    h('section', {'aria-label': 'History'}, h('h2', {}, 'History'),
      h('table', {class: 'list compact'}, h('thead', {}, h('tr', {}, h('th', {}, 'Seq'), h('th', {}, 'Time'), h('th', {}, 'Event'),
        h('th', {}, 'Task'), h('th', {}, 'From'), h('th', {}, 'To'), h('th', {}, 'Actor'), h('th', {}, 'Detail'))), historyBody))]);
}

function eventDetail(e) {
  if (!e.data) return '';
  const skip = new Set(['task_title', 'attempt', 'workflow_id']);
  const parts = Object.entries(e.data).filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  if (e.data.attempt > 1) parts.unshift(`attempt ${e.data.attempt}`);
  return parts.join(', ');
}
