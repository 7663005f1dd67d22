// Runs: newest first, filtered by label selector, state and workflow, with counts per state for
// the filter; the event stream keeps the page current without a reload.

import {h, badge, labelChips, time, duration, problemNotice, fill, append} from '../dom.js';
import {call} from '../api.js';
import {go, link} from '../router.js';
import {openStream} from '../sse.js';
import {selectorFilter, withTerm, pagedList, debounced, liveBadge, userLabels} from './common.js';
import {RUN_STATES, UNSETTLED} from '../states.js';


export async function runsPage(page) {
  page.title('Runs');
  const selector = page.query.get('label_selector') || '';
  const status = page.query.get('lifecycle_status') || '';
  const workflowId = page.query.get('workflow_id') || '';
  const adapterId = page.query.get('adapter_id') || '';
  const apply = (changes) => go(['runs'], {label_selector: selector, lifecycle_status: status,
    workflow_id: workflowId, adapter_id: adapterId, ...changes});

  const workflows = await call('v1/workflows', {query: {limit: 500, order_by: 'title', order: 'asc', include_archived: true}});
  if (!page.current) return;
  const workflowPicker = h('select', {id: 'workflow-filter', onchange: (e) => apply({workflow_id: e.target.value})},
    h('option', {value: ''}, 'All workflows'),
    workflows.items.map((w) => h('option', {value: w.id, selected: w.id === workflowId}, w.title)));
  const statusPicker = h('select', {id: 'status-filter', onchange: (e) => apply({lifecycle_status: e.target.value})},
    h('option', {value: ''}, 'All states'),
    h('option', {value: UNSETTLED, selected: status === UNSETTLED}, 'Not settled'),
    RUN_STATES.map((st) => h('option', {value: st, selected: st === status}, st)));

  const live = liveBadge();
  const counts = h('div', {class: 'counts', 'aria-label': 'Runs per state'});
  const body = h('tbody');
  const error = h('div');
  const filter = {label_selector: selector, workflow_id: workflowId, adapter_id: adapterId};
  let shown = new Set();
  let firstDraw = true;

  const paging = pagedList(async (token) => {
    let result;
    try {
      result = await call('v1/workflow-runs', {query: {...filter, lifecycle_status: status, limit: 25, page_token: token}});
    } catch (e) {
      fill(error, problemNotice(e));
      return null;
    }
    if (!page.current) return null;
    error.replaceChildren();
    const before = shown;
    shown = new Set(result.items.map((r) => r.id));
    fill(body, ...result.items.map((run) => h('tr', {'data-run': run.id, 'data-state': run.lifecycle_status,
      class: !firstDraw && !before.has(run.id) ? 'fresh' : null},
    h('td', {}, h('a', {href: link(['runs', run.id])}, run.workflow.title), h('div', {class: 'muted mono'}, run.id.slice(0, 8))),
    h('td', {}, badge(run.lifecycle_status), run.requested_action ? h('span', {class: 'tag'}, `${run.requested_action} requested`) : null),
    h('td', {}, run.attempt > 1 ? `attempt ${run.attempt}` : ''),
    h('td', {}, time(run.created_at)),
    h('td', {}, duration(run.started_at, run.finished_at)),
    h('td', {}, labelChips(userLabels(run.labels), (k, v) => apply({label_selector: withTerm(selector, `${k}=${v}`)}))),
    h('td', {class: 'message'}, run.status_message || ''))));
    if (!result.items.length) body.append(h('tr', {}, h('td', {colspan: 7, class: 'muted'}, 'No runs match.')));
    firstDraw = false;
    return result.next_page_token;
  });

  async function drawCounts() {
    const totals = await Promise.all(RUN_STATES.map((st) =>
      call('v1/workflow-runs', {query: {...filter, lifecycle_status: st, limit: 1, include_total: true}})
        .then((r) => r.total, () => null)));
    if (!page.current) return;
    fill(counts, ...RUN_STATES.map((st, i) => h('a', {
      class: `count state-${st.toLowerCase()}${st === status ? ' selected' : ''}`,
      href: link(['runs'], {label_selector: selector, workflow_id: workflowId, adapter_id: adapterId,
        lifecycle_status: st === status ? null : st}),
      'data-count-state': st, 'aria-label': `${st}: ${totals[i] ?? 'unknown'}`},
    h('span', {class: 'count-value'}, totals[i] ?? '?'), h('span', {class: 'count-label'}, st))));
  }

  // At most one refresh a second, however many events arrive: a busy instance sends hundreds.
  const refresh = debounced(async () => {
    await Promise.all([paging.refresh(), drawCounts()]);
  }, 1000);
  const stream = openStream('v1/events', {object_type: 'workflow_run', label_selector: selector || null}, {
    onEvent: () => refresh(),
    onState: (state, detail) => {
      live.set(state, detail);
      if (state === 'open') refresh(); // catch what happened while the stream was away
    },
  });
  page.onLeave(() => {
    stream.close();
    refresh.cancel();
  });

  append(page.main, [
    h('h1', {}, 'Runs ', live.element),
    h('div', {class: 'filters'},
      selectorFilter(selector, (next) => apply({label_selector: next})),
      h('div', {class: 'field'}, h('label', {for: 'status-filter'}, 'State'), statusPicker),
      h('div', {class: 'field'}, h('label', {for: 'workflow-filter'}, 'Workflow'), workflowPicker)),
    adapterId ? h('p', {class: 'chips'}, h('button', {type: 'button', class: 'chip removable',
      'aria-label': `Remove the filter: held by adapter ${adapterId}`, onclick: () => apply({adapter_id: null})},
    `held by ${adapterId}`, h('span', {'aria-hidden': 'true'}, ' ×'))) : null,
    counts, error,
    h('table', {class: 'list', 'aria-label': 'Runs'},
      h('thead', {}, h('tr', {}, h('th', {}, 'Workflow'), h('th', {}, 'State'), h('th', {}, 'Attempt'),
        h('th', {}, 'Created'), h('th', {}, 'Duration'), h('th', {}, 'Labels'), h('th', {}, 'Message'))),
      body),
    paging.element]);
  await Promise.all([paging.refresh(), drawCounts()]);
}
