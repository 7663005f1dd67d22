// A task's log, one attempt at a time: pages of lines with the API's cursor, followed live over
// SSE while the attempt runs, severities coloured, and the whole log as a download.

import {h, badge, time, problemNotice, fill, append} from '../dom.js';
import {call} from '../api.js';
import {go, link} from '../router.js';
import {openStream} from '../sse.js';
import {liveBadge} from './common.js';
import {isSettled} from '../states.js';

/** Lines kept on the page; older ones are dropped from the view (the download has them all). */
const MAX_LINES_SHOWN = 20000;
const MAX_DOWNLOAD_LINES = 500000;

export async function logsPage(page) {
  const {id, taskRunId} = page.params;
  const runPath = `v1/workflow-runs/${encodeURIComponent(id)}`;
  const logPath = `${runPath}/task-runs/${encodeURIComponent(taskRunId)}/logs`;
  const [run, task] = await Promise.all([call(runPath), call(`${runPath}/task-runs/${encodeURIComponent(taskRunId)}`)]);
  if (!page.current) return;
  const attempt = Math.min(task.attempt, Math.max(1, Number(page.query.get('attempt')) || task.attempt));
  page.title(`Log of ${task.task_title}`);
  const settled = isSettled(task.lifecycle_status) || attempt < task.attempt;

  const lines = h('ol', {class: 'log', 'aria-label': 'Log lines', tabindex: 0});
  const status = h('div', {class: 'log-status', 'aria-live': 'polite'});
  const live = liveBadge();
  let cursor = null;
  let count = 0;

  function addLines(items) {
    const fragment = document.createDocumentFragment();
    for (const line of items) {
      const severity = String(line.severity || 'INFO');
      fragment.append(h('li', {class: `sev-${severity.toLowerCase()}`, 'data-severity': severity},
        h('time', {datetime: line.time}, line.time ? time(line.time) : ''),
        h('span', {class: 'sev'}, severity),
        line.metadata && line.metadata.stream ? h('span', {class: 'stream'}, line.metadata.stream) : null,
        h('span', {class: 'text'}, line.message)));
    }
    const atBottom = lines.scrollHeight - lines.scrollTop - lines.clientHeight < 40;
    lines.append(fragment);
    count += items.length;
    while (lines.childElementCount > MAX_LINES_SHOWN) lines.firstElementChild.remove();
    if (atBottom) lines.scrollTop = lines.scrollHeight;
  }

  const more = h('button', {type: 'button', onclick: () => loadPage()}, 'Load more');
  async function loadPage() {
    more.disabled = true;
    try {
      const result = await call(logPath, {query: {attempt, cursor, limit: 500}});
      if (!page.current) return null;
      addLines(result.lines);
      cursor = result.next_cursor ?? cursor;
      status.textContent = `${count} lines${result.complete ? ' · complete' : ''}`;
      more.hidden = result.complete || result.lines.length === 0;
      return result;
    } catch (e) {
      fill(status, problemNotice(e));
      return null;
    } finally {
      more.disabled = false;
    }
  }

  async function download() {
    const all = [];
    let next = null;
    try {
      for (;;) {
        const result = await call(logPath, {query: {attempt, cursor: next, limit: 500}});
        for (const line of result.lines) all.push(`${line.time || ''} ${line.severity || ''} ${line.message}`);
        if (result.complete || !result.lines.length || !result.next_cursor || all.length >= MAX_DOWNLOAD_LINES) break;
        next = result.next_cursor;
      }
    } catch (e) {
      fill(status, problemNotice(e));
      return;
    }
    const blob = new Blob([all.join('\n'), '\n'], {type: 'text/plain'});
    const href = URL.createObjectURL(blob);
    const anchor = h('a', {href, download: `${run.workflow.title}-${task.task_title}-attempt-${attempt}.log`});
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
  }

  const attemptPicker = h('select', {id: 'attempt', onchange: (e) => go(['runs', id, 'tasks', taskRunId], {attempt: e.target.value})},
    Array.from({length: task.attempt}, (_, i) => i + 1).reverse()
      .map((n) => h('option', {value: String(n), selected: n === attempt}, `attempt ${n}`)));

  append(page.main, [
    h('p', {class: 'crumbs'}, h('a', {href: '#/runs'}, 'Runs'), ' / ',
      h('a', {href: link(['runs', id], {task: task.task_title})}, `${run.workflow.title} ${id.slice(0, 8)}`), ' /'),
    h('h1', {}, `Log of ${task.task_title} `, badge(task.lifecycle_status), ' ', settled ? null : live.element),
    h('div', {class: 'actions'},
      h('label', {for: 'attempt'}, 'Attempt'), attemptPicker,
      h('button', {type: 'button', id: 'download-log', onclick: download}, 'Download whole log'),
      more),
    status, lines]);

  if (settled) {
    await loadPage();
    return;
  }
  // Follow: the stream starts with what is there and ends when the attempt settles.
  more.hidden = true;
  const stream = openStream(logPath, {attempt, follow: true}, {
    endOn: ['end', 'error'],
    onEvent: (type, data) => {
      if (type === 'log') {
        addLines([data]);
        status.textContent = `${count} lines · following`;
      } else if (type === 'end') {
        status.textContent = `${count} lines · complete`;
      } else if (type === 'error') {
        fill(status, problemNotice({problem: {title: 'The log follow ended', detail: data && data.detail, code: data && data.code}}));
      }
    },
    onState: (state, detail) => {
      live.set(state === 'ended' ? 'complete' : state, detail);
      if (state === 'failed') fill(status, problemNotice({problem: detail || {title: 'The log follow failed'}}));
    },
  });
  page.onLeave(() => stream.close());
}
