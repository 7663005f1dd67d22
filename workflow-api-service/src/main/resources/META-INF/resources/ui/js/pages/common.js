// Pieces several pages share: the label-selector filter with chips, page-token paging, and a
// debounced refresh for live updates.

import {h, fill} from '../dom.js';

/** Splits a selector at top-level commas ("a=b,c in (x,y)" -> ["a=b", "c in (x,y)"]). */
export function selectorTerms(selector) {
  const terms = [];
  let depth = 0;
  let current = '';
  for (const ch of selector || '') {
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      if (current.trim()) terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

/** Adds key=value to a selector unless it is there already. */
export function withTerm(selector, term) {
  const terms = selectorTerms(selector);
  if (!terms.includes(term)) terms.push(term);
  return terms.join(',');
}

/**
 * The selector input and its chips (each chip removes its term). onChange(newSelector) applies.
 */
export function selectorFilter(selector, onChange) {
  const input = h('input', {type: 'search', id: 'label-selector', name: 'label_selector', value: selector || '',
    placeholder: 'kaapana.experiment=liver, tier in (a,b), !debug', spellcheck: 'false', autocomplete: 'off'});
  const terms = selectorTerms(selector);
  return h('form', {class: 'selector', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    onChange(input.value.trim());
  }},
  h('label', {for: 'label-selector'}, 'Label selector'),
  h('div', {class: 'selector-row'}, input, h('button', {type: 'submit'}, 'Filter')),
  terms.length ? h('div', {class: 'chips active-terms'}, terms.map((term) =>
    h('button', {type: 'button', class: 'chip removable', title: `Remove ${term}`,
      'aria-label': `Remove filter ${term}`,
      onclick: () => onChange(terms.filter((t) => t !== term).join(','))}, term, h('span', {'aria-hidden': 'true'}, ' ×')))) : null);
}

/**
 * Keyset paging with the API's page tokens: tokens[i] fetches page i (null for the first).
 * load(token) draws a page and returns its next_page_token.
 */
export function pagedList(load) {
  const tokens = [null];
  let index = 0;
  let next = null;
  const bar = h('nav', {class: 'pager', 'aria-label': 'Pages'});
  async function show() {
    next = await load(tokens[index]);
    fill(bar, 
      h('button', {type: 'button', disabled: index === 0, onclick: () => {
        index -= 1;
        show();
      }}, '← Newer'),
      h('span', {class: 'muted'}, `Page ${index + 1}`),
      h('button', {type: 'button', disabled: !next, onclick: () => {
        tokens.length = index + 1;
        tokens.push(next);
        index += 1;
        show();
      }}, 'Older →'));
  }
  return {element: bar, refresh: show};
}

/** The labels a person set; system labels (kaapana.io/…) repeat what a row already shows. */
export function userLabels(labels) {
  return Object.fromEntries(Object.entries(labels || {}).filter(([k]) => !k.startsWith('kaapana.io/')));
}

/** Calls fn at most once per `ms`, and once more after the last call in a burst. */
export function debounced(fn, ms = 700) {
  let timer = null;
  let pending = false;
  let running = false;
  const fire = async () => {
    timer = null;
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      await fn();
    } finally {
      running = false;
      if (pending) {
        pending = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (!timer) timer = setTimeout(fire, ms);
  };
  schedule.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return schedule;
}

/** The live indicator next to a page title. */
export function liveBadge() {
  const badge = h('span', {class: 'live', role: 'status', 'aria-live': 'polite'}, 'connecting…');
  return {
    element: badge,
    set(state, detail) {
      badge.dataset.state = state;
      badge.textContent = state === 'open' ? '● live' : state === 'retrying' ? 'reconnecting…'
        : state === 'failed' ? `live updates stopped${detail && detail.title ? `: ${detail.title}` : ''}` : state;
    },
  };
}
