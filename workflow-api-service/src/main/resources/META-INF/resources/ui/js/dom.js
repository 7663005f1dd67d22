// Builds DOM nodes from data. Text always goes in as text nodes, never as markup, so a value from
// the API (a label, a log line, a problem detail) cannot become HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

/** Appends strings (as text), nodes and nested arrays; null and undefined are skipped. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: h('a', {href: '#/runs'}, 'Runs'). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces a node's children, with append's rules (null and undefined are skipped). */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** "2026-12-03 05:28:48" in the browser's time zone; an em dash for none. */
export function time(value) {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "1 min 5 s" between two instants (the second defaults to now). */
export function duration(from, to) {
  if (!from) return '—';
  const ms = (to ? new Date(to) : new Date()) - new Date(from);
  if (!(ms >= 0)) return '—';
  const secs = Math.round(ms / 1000);
  if (secs < 60) return ms < 1000 ? `${ms} ms` : `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min ${secs % 60} s`;
  return `${Math.floor(mins / 60)} h ${mins % 60} min`;
}

/** A state badge; its colour comes from the state's CSS class. */
export function badge(state) {
  return h('span', {class: `badge state-${String(state).toLowerCase()}`}, state);
}

/** Label chips; onPick(key, value) makes each chip a button that adds it to a filter. */
export function labelChips(labels, onPick) {
  const entries = Object.entries(labels || {}).sort(([a], [b]) => a.localeCompare(b));
  return h('span', {class: 'chips'}, entries.map(([key, value]) => onPick
    ? h('button', {type: 'button', class: 'chip', title: `Filter by ${key}=${value}`,
        onclick: () => onPick(key, value)}, `${key}=${value}`)
    : h('span', {class: 'chip'}, `${key}=${value}`)));
}

/** A problem document as a notice: title, detail, per-field errors and allowed actions. */
export function problemNotice(error) {
  const p = error && error.problem ? error.problem : {title: String(error && error.message || error)};
  return h('div', {class: 'notice error', role: 'alert'},
    h('strong', {}, p.status ? `${p.status} ${p.title || ''}` : (p.title || 'Error')),
    p.code ? h('code', {class: 'problem-code'}, p.code) : null,
    p.detail ? h('div', {}, p.detail) : null,
    Array.isArray(p.allowed_actions)
      ? h('div', {class: 'allowed'}, 'Allowed now: ',
          p.allowed_actions.length ? p.allowed_actions.join(', ') : 'nothing (the run has settled)')
      : null,
    Array.isArray(p.errors) && p.errors.length
      ? h('ul', {}, p.errors.map((e) => h('li', {}, e.pointer ? h('code', {}, e.pointer) : null, ' ', e.message)))
      : null);
}
