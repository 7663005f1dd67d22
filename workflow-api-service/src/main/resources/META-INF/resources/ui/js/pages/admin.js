// Admin: purge what is archived or old (a dry run first), and the audit log.

import {h, time, problemNotice, fill, append} from '../dom.js';
import {call} from '../api.js';
import {pagedList} from './common.js';
import {SETTLED_RUN_STATES} from '../states.js';


export async function adminPage(page) {
  page.title('Admin');
  const archived = h('input', {type: 'checkbox', id: 'purge-archived', checked: true});
  const states = SETTLED_RUN_STATES.map((st) => h('input', {type: 'checkbox', name: 'purge-state', value: st}));
  const finishedBefore = h('input', {type: 'datetime-local', id: 'purge-finished-before'});
  const eventsBefore = h('input', {type: 'datetime-local', id: 'purge-events-before'});
  const result = h('div', {'aria-live': 'polite'});

  function request(dryRun) {
    const chosen = states.filter((c) => c.checked).map((c) => c.value);
    const body = {archived_workflows: archived.checked, dry_run: dryRun};
    if (chosen.length || finishedBefore.value) {
      body.runs = {lifecycle_status: chosen.length ? chosen : undefined,
        finished_before: finishedBefore.value ? new Date(finishedBefore.value).toISOString() : undefined};
    }
    if (eventsBefore.value) body.events_before = new Date(eventsBefore.value).toISOString();
    return body;
  }

  async function purge(dryRun) {
    if (!dryRun && !window.confirm('Delete these for good? This cannot be undone.')) return;
    try {
      const counts = await call('v1/admin/purge', {method: 'POST', body: request(dryRun)});
      fill(result, h('div', {class: 'notice ok', role: 'status'},
        dryRun ? 'Would delete: ' : 'Deleted: ',
        `${counts.workflows} workflows, ${counts.workflow_revisions} revisions, ${counts.workflow_runs} runs, `,
        `${counts.task_runs} task runs, ${counts.events} events`));
      if (!dryRun) audit.refresh();
    } catch (e) {
      fill(result, problemNotice(e));
    }
  }

  const auditBody = h('tbody');
  const auditError = h('div');
  const audit = pagedList(async (token) => {
    try {
      const page_ = await call('v1/admin/audit', {query: {limit: 50, page_token: token}});
      auditError.replaceChildren();
      fill(auditBody, ...page_.items.map((entry) => h('tr', {},
        h('td', {}, time(entry.created_at)),
        h('td', {}, entry.actor, entry.actor_client_id ? h('div', {class: 'muted'}, entry.actor_client_id) : null),
        h('td', {}, entry.action),
        h('td', {}, entry.object_type, entry.object_id ? h('div', {class: 'muted mono'}, entry.object_id) : null),
        h('td', {}, entry.reason || ''),
        h('td', {}, h('details', {}, h('summary', {}, 'change'),
          h('pre', {class: 'code small'}, JSON.stringify({before: entry.before, after: entry.after}, null, 2)))))));
      return page_.next_page_token;
    } catch (e) {
      fill(auditError, problemNotice(e));
      return null;
    }
  });

  append(page.main, [h('h1', {}, 'Admin'),
    h('section', {'aria-label': 'Purge'}, h('h2', {}, 'Purge'),
      h('p', {class: 'muted'}, 'Deletes archived workflows without runs, settled runs and old events. Try a dry run first.'),
      h('label', {class: 'inline'}, archived, ' archived workflows'),
      h('fieldset', {}, h('legend', {}, 'Runs in these states'),
        states.map((c) => h('label', {class: 'inline'}, c, ` ${c.value}`))),
      h('div', {class: 'field'}, h('label', {for: 'purge-finished-before'}, 'Runs finished before'), finishedBefore),
      h('div', {class: 'field'}, h('label', {for: 'purge-events-before'}, 'Events before'), eventsBefore),
      h('div', {class: 'actions'},
        h('button', {type: 'button', onclick: () => purge(true)}, 'Dry run'),
        h('button', {type: 'button', class: 'danger', onclick: () => purge(false)}, 'Purge')),
      result),
    h('section', {'aria-label': 'Audit log'}, h('h2', {}, 'Audit log'), auditError,
      h('table', {class: 'list compact'}, h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Actor'),
        h('th', {}, 'Action'), h('th', {}, 'Object'), h('th', {}, 'Reason'), h('th', {}, 'Change'))), auditBody),
      audit.element)]);
  await audit.refresh();
}
