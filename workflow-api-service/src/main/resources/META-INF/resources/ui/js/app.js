// The console's shell: a hash router (a page's URL is its deep link and works behind any path
// prefix), the navigation, and the page lifecycle: leaving a page closes its streams and timers.

import {h, clear, problemNotice} from './dom.js';
import {caller} from './api.js';
import {currentLocation} from './router.js';
import {signIn} from './auth.js';
import {workflowsPage, workflowPage} from './pages/workflows.js';
import {runsPage} from './pages/runs.js';
import {runPage} from './pages/run.js';
import {logsPage} from './pages/logs.js';
import {adaptersPage} from './pages/adapters.js';
import {adminPage} from './pages/admin.js';

const routes = [
  {pattern: [], page: workflowsPage, nav: 'workflows'},
  {pattern: ['workflows'], page: workflowsPage, nav: 'workflows'},
  {pattern: ['workflows', ':id'], page: workflowPage, nav: 'workflows'},
  {pattern: ['runs'], page: runsPage, nav: 'runs'},
  {pattern: ['runs', ':id'], page: runPage, nav: 'runs'},
  {pattern: ['runs', ':id', 'tasks', ':taskRunId'], page: logsPage, nav: 'runs'},
  {pattern: ['adapters'], page: adaptersPage, nav: 'adapters'},
  {pattern: ['admin'], page: adminPage, nav: 'admin'},
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let cleanups = [];
let generation = 0;

function match(segments) {
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params = {};
    const ok = route.pattern.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = segments[i];
        return true;
      }
      return part === segments[i];
    });
    if (ok) return {route, params};
  }
  return null;
}

async function render() {
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch (e) {
      console.warn('cleanup failed', e);
    }
  }
  const mine = ++generation;
  const {segments, query} = currentLocation();
  const found = match(segments);
  for (const a of nav.querySelectorAll('a')) {
    if (found && a.dataset.nav === found.route.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  clear(main);
  if (!found) {
    document.title = 'Not found · Kaapana workflows';
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'No page has this address. ', h('a', {href: '#/workflows'}, 'Workflows')));
    return;
  }
  const page = {
    main,
    params: found.params,
    query,
    /** Runs fn when the user leaves the page. */
    onLeave: (fn) => {
      if (mine === generation) cleanups.push(fn);
      else fn();
    },
    /** False once the user has moved on: late answers must not draw. */
    get current() {
      return mine === generation;
    },
    title: (text) => {
      document.title = `${text} · Kaapana workflows`;
    },
  };
  try {
    await found.route.page(page);
  } catch (e) {
    if (page.current) main.append(problemNotice(e));
  }
  if (page.current) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
    }
  }
}

async function showAdminWhenAllowed() {
  // The service says who the user is; it still decides every admin request itself.
  const me = await caller();
  if (me.roles.includes('admin')) document.querySelector('[data-nav="admin"]').hidden = false;
}

// The skip link moves focus without touching the hash, which is the router's.
document.querySelector('.skip').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

async function start() {
  const ready = await signIn();
  if (!ready) return; // the browser is on its way to the identity provider
  window.addEventListener('hashchange', render);
  showAdminWhenAllowed();
  await render();
}

start();
