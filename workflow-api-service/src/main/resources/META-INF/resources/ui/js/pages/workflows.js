// Workflows: the list with a label filter, and one workflow with its revisions, validation,
// task graph and the start-run form generated from the revision's parameters schema.

import {h, badge, labelChips, time, problemNotice, fill, append} from '../dom.js';
import {call, caller, ApiError} from '../api.js';
import {go, link} from '../router.js';
import {taskGraph} from '../graph.js';
import {parameterFields} from '../form.js';
import {selectorFilter, withTerm, pagedList, userLabels} from './common.js';

export async function workflowsPage(page) {
  page.title('Workflows');
  const selector = page.query.get('label_selector') || '';
  const archived = page.query.get('include_archived') === 'true';
  const apply = (next, includeArchived = archived) =>
    go(['workflows'], {label_selector: next, include_archived: includeArchived ? 'true' : null});
  const body = h('tbody');
  const table = h('table', {class: 'list', 'aria-label': 'Workflows'},
    h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', {}, 'Engine'), h('th', {}, 'Revision'),
      h('th', {}, 'Validation'), h('th', {}, 'Labels'), h('th', {}, 'Updated'))), body);
  const error = h('div');
  const paging = pagedList(async (token) => {
    error.replaceChildren();
    let result;
    try {
      result = await call('v1/workflows', {query: {label_selector: selector, include_archived: archived || null,
        order_by: 'title', order: 'asc', limit: 50, page_token: token}});
    } catch (e) {
      fill(error, problemNotice(e));
      return null;
    }
    if (!page.current) return null;
    fill(body, ...result.items.map((w) => h('tr', {class: w.validation.status === 'INVALID' ? 'invalid' : null},
      h('td', {}, h('a', {href: link(['workflows', w.id])}, w.title), w.archived ? h('span', {class: 'tag'}, 'archived') : null),
      h('td', {}, w.workflow_engine),
      h('td', {}, String(w.increment)),
      h('td', {}, badge(w.validation.status)),
      h('td', {}, labelChips(userLabels(w.labels), (k, v) => apply(withTerm(selector, `${k}=${v}`)))),
      h('td', {}, time(w.updated_at)))));
    if (!result.items.length) body.append(h('tr', {}, h('td', {colspan: 6, class: 'muted'}, 'No workflows match.')));
    return result.next_page_token;
  });
  append(page.main, [
    h('h1', {}, 'Workflows'),
    selectorFilter(selector, (next) => apply(next)),
    h('label', {class: 'inline'}, h('input', {type: 'checkbox', checked: archived,
      onchange: (e) => apply(selector, e.target.checked)}), ' Include archived'),
    error, table, paging.element]);
  await paging.refresh();
}

export async function workflowPage(page) {
  const id = page.params.id;
  const workflow = await call(`v1/workflows/${encodeURIComponent(id)}`);
  if (!page.current) return;
  page.title(workflow.title);
  const revisions = await call(`v1/workflows/${encodeURIComponent(id)}/revisions`, {query: {limit: 500}});
  if (!page.current) return;
  const wanted = Number(page.query.get('increment')) || workflow.increment;
  const revision = revisions.items.find((r) => r.increment === wanted) || revisions.items[revisions.items.length - 1];

  const revisionPicker = h('select', {id: 'revision', onchange: (e) => go(['workflows', id], {increment: e.target.value})},
    [...revisions.items].reverse().map((r) => h('option', {value: String(r.increment), selected: r.increment === revision.increment},
      `${r.increment} · ${r.validation.status} · ${time(r.created_at)}`)));

  const validation = revision.validation;
  append(page.main, [
    h('p', {class: 'crumbs'}, h('a', {href: '#/workflows'}, 'Workflows'), ' / '),
    h('h1', {}, workflow.title, workflow.archived ? h('span', {class: 'tag'}, 'archived') : null),
    workflow.description ? h('p', {}, workflow.description) : null,
    h('dl', {class: 'facts'},
      h('dt', {}, 'Engine'), h('dd', {}, workflow.workflow_engine),
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, workflow.id)),
      h('dt', {}, h('label', {for: 'revision'}, 'Revision')), h('dd', {}, revisionPicker),
      h('dt', {}, 'Labels'), h('dd', {}, labelChips(revision.labels)),
      h('dt', {}, 'Runs'), h('dd', {}, h('a', {href: link(['runs'], {workflow_id: workflow.id})}, 'Runs of this workflow'))),
    h('section', {class: `validation ${validation.status.toLowerCase()}`, 'aria-label': 'Validation'},
      h('h2', {}, 'Validation ', badge(validation.status)),
      validation.validated_at ? h('p', {class: 'muted'}, `by ${validation.adapter_id || 'unknown adapter'} at ${time(validation.validated_at)}`) : null,
      validation.messages.length ? h('ul', {class: 'messages'}, validation.messages.map((m) => h('li', {}, m))) : null,
      validation.status === 'PENDING' ? h('p', {}, 'No adapter has checked this revision yet.') : null),
    h('section', {'aria-label': 'Task graph'}, h('h2', {}, 'Tasks'),
      revision.tasks && revision.tasks.length
        ? h('div', {class: 'graph-box'}, taskGraph(revision.tasks))
        : h('p', {class: 'muted'}, 'The adapter has not reported this revision\'s tasks.')),
    startForm(workflow, revision),
    h('details', {}, h('summary', {}, 'Definition'), h('pre', {class: 'code'}, revision.definition || '')),
    h('details', {}, h('summary', {}, 'Parameters schema'), h('pre', {class: 'code'}, JSON.stringify(revision.parameters_schema, null, 2)))]);
}

function startForm(workflow, revision) {
  const fields = parameterFields(revision.parameters_schema);
  const labels = h('textarea', {id: 'run-labels', rows: 2, spellcheck: 'false', placeholder: 'kaapana.experiment=liver-2026 (one per line)'});
  const labelsError = h('div', {class: 'field-error', id: 'run-labels-error'});
  // The run's project: a choice for users of several projects; admins may name any.
  const projectSlot = h('div');
  let projectInput = null;
  caller().then((me) => {
    if (me.projects === null) {
      projectInput = h('input', {type: 'text', id: 'run-project', placeholder: 'the service\'s default project', maxlength: 63});
    } else if (me.projects.length > 1) {
      projectInput = h('select', {id: 'run-project'}, me.projects.map((name) => h('option', {value: name}, name)));
    }
    if (projectInput) fill(projectSlot, h('div', {class: 'field'}, h('label', {for: 'run-project'}, 'Project'), projectInput));
  });
  const outcome = h('div', {'aria-live': 'polite'});
  const submit = h('button', {type: 'submit', class: 'primary'}, 'Start run');
  const form = h('form', {class: 'start-run', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    fields.clearErrors();
    labelsError.textContent = '';
    outcome.replaceChildren();
    let parameters;
    try {
      parameters = fields.values();
    } catch (problem) {
      fill(outcome, h('div', {class: 'notice error', role: 'alert'}, problem.message));
      return;
    }
    const runLabels = {};
    for (const line of labels.value.split(/\n/).map((l) => l.trim()).filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        labelsError.textContent = `"${line}" is not key=value`;
        return;
      }
      runLabels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    submit.disabled = true;
    try {
      const headers = {'Idempotency-Key': crypto.randomUUID()};
      if (projectInput && projectInput.value.trim()) headers['Kaapana-Project'] = projectInput.value.trim();
      const run = await call('v1/workflow-runs', {method: 'POST', headers,
        body: {workflow: {id: workflow.id, increment: revision.increment}, parameters,
          labels: Object.keys(runLabels).length ? runLabels : undefined}});
      go(['runs', run.id]);
    } catch (error) {
      submit.disabled = false;
      if (error instanceof ApiError && Array.isArray(error.problem.errors)) {
        const rest = fields.showErrors(error.problem.errors);
        const labelErrors = rest.filter((x) => (x.pointer || '').startsWith('/labels'));
        labelsError.textContent = labelErrors.map((x) => x.message).join('; ');
        const others = rest.filter((x) => !labelErrors.includes(x));
        fill(outcome, others.length
          ? problemNotice({problem: {...error.problem, errors: others}})
          : problemNotice({problem: {status: error.status, title: error.problem.title, code: error.problem.code,
            detail: 'See the marked fields.'}}));
      } else {
        fill(outcome, problemNotice(error));
      }
    }
  }},
  h('h2', {}, 'Start a run'),
  revision.validation.status === 'INVALID' ? h('p', {class: 'notice warn'}, 'This revision is INVALID: the service will refuse runs of it.') : null,
  workflow.archived ? h('p', {class: 'notice warn'}, 'This workflow is archived: the service refuses new runs.') : null,
  fields.element,
  projectSlot,
  h('div', {class: 'field'}, h('label', {for: 'run-labels'}, 'Labels'), labels, labelsError),
  h('div', {class: 'actions'}, submit),
  outcome);
  return form;
}
