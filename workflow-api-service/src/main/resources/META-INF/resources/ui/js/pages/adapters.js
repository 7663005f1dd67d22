// Adapters: which are registered, for which engine and selector, what they can do, when they
// were last heard from, and how many unsettled runs each holds.

import {h, badge, time, problemNotice, fill, append} from '../dom.js';
import {call} from '../api.js';
import {link} from '../router.js';
import {openStream} from '../sse.js';
import {debounced, liveBadge} from './common.js';
import {UNSETTLED} from '../states.js';


export async function adaptersPage(page) {
  page.title('Adapters');
  const live = liveBadge();
  const body = h('tbody');
  const error = h('div');

  async function draw() {
    let adapters;
    try {
      adapters = await call('v1/adapters');
    } catch (e) {
      fill(error, problemNotice(e));
      return;
    }
    const held = await Promise.all(adapters.map((a) => call('v1/workflow-runs',
      {query: {adapter_id: a.id, lifecycle_status: UNSETTLED, limit: 1, include_total: true}}).then((r) => r.total, () => null)));
    if (!page.current) return;
    error.replaceChildren();
    fill(body, ...adapters.map((a, i) => h('tr', {'data-adapter': a.id},
      h('td', {}, h('strong', {}, a.id), h('div', {class: 'muted'}, a.version || '')),
      h('td', {}, badge(a.status)),
      h('td', {}, a.workflow_engine),
      h('td', {}, a.label_selector ? h('code', {}, a.label_selector) : h('span', {class: 'muted'}, 'everything')),
      h('td', {}, h('span', {class: 'chips'}, (a.capabilities || []).map((c) => h('span', {class: 'chip'}, c)))),
      h('td', {}, time(a.last_seen_at), h('div', {class: 'muted'}, `lease ${a.lease_seconds} s`)),
      h('td', {}, held[i] === null ? '?'
        : h('a', {href: link(['runs'], {adapter_id: a.id, lifecycle_status: UNSETTLED})}, String(held[i]))))));
    if (!adapters.length) body.append(h('tr', {}, h('td', {colspan: 7, class: 'muted'}, 'No adapter is registered: runs wait in CREATED.')));
  }

  const refresh = debounced(draw, 500);
  const stream = openStream('v1/events', {object_type: 'adapter'}, {
    onEvent: () => refresh(),
    onState: (state, detail) => live.set(state, detail),
  });
  const timer = setInterval(refresh, 10000); // heartbeats are not events; last-seen times move anyway
  page.onLeave(() => {
    stream.close();
    refresh.cancel();
    clearInterval(timer);
  });
  append(page.main, [h('h1', {}, 'Adapters ', live.element), error,
    h('table', {class: 'list', 'aria-label': 'Adapters'},
      h('thead', {}, h('tr', {}, h('th', {}, 'Adapter'), h('th', {}, 'Status'), h('th', {}, 'Engine'),
        h('th', {}, 'Selector'), h('th', {}, 'Capabilities'), h('th', {}, 'Last heartbeat'), h('th', {}, 'Runs held'))),
      body)]);
  await draw();
}
