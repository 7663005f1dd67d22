// A task graph laid out by dagre (a layered DAG layout, loaded as vendor/dagre.min.js) and drawn
// as SVG. Each node is a focusable button-like group: Enter or a click selects the task.

import {s} from './dom.js';

const NODE_WIDTH = 168;
const NODE_HEIGHT = 48;

/**
 * tasks: [{title, display_name, downstream}]; states: Map title -> {state, attempt};
 * onSelect(title) when a node is chosen; selected: the title drawn as selected.
 */
export function taskGraph(tasks, {states = new Map(), onSelect, selected} = {}) {
  const layout = new window.dagre.graphlib.Graph();
  layout.setGraph({rankdir: 'LR', nodesep: 24, ranksep: 48, marginx: 8, marginy: 8});
  layout.setDefaultEdgeLabel(() => ({}));
  const known = new Set(tasks.map((t) => t.title));
  for (const task of tasks) layout.setNode(task.title, {width: NODE_WIDTH, height: NODE_HEIGHT});
  for (const task of tasks) {
    for (const next of task.downstream || []) {
      if (known.has(next)) layout.setEdge(task.title, next);
    }
  }
  window.dagre.layout(layout);
  const size = layout.graph();
  const width = Math.max(size.width || 0, NODE_WIDTH + 16);
  const height = Math.max(size.height || 0, NODE_HEIGHT + 16);

  const edges = layout.edges().map((e) => {
    const points = layout.edge(e).points;
    const path = points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return s('path', {class: 'edge', d: path, 'marker-end': 'url(#arrow)'});
  });

  const nodes = tasks.map((task) => {
    const box = layout.node(task.title);
    const run = states.get(task.title);
    const state = run ? run.state : 'NOT_STARTED';
    const name = task.display_name || task.title;
    const detail = run ? `${run.state}${run.attempt > 1 ? ` · attempt ${run.attempt}` : ''}` : 'not started';
    const group = s('g', {
      class: `node state-${state.toLowerCase()}${selected === task.title ? ' selected' : ''}`,
      transform: `translate(${(box.x - NODE_WIDTH / 2).toFixed(1)},${(box.y - NODE_HEIGHT / 2).toFixed(1)})`,
      tabindex: onSelect ? 0 : null,
      role: onSelect ? 'button' : 'img',
      'aria-label': `${name}: ${detail}`,
      'data-task': task.title,
      'data-state': state,
      'data-attempt': run ? run.attempt : null,
    },
    s('title', {}, `${name}: ${detail}`),
    s('rect', {width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6}),
    s('text', {x: 10, y: 20, class: 'node-name'}, clip(name, 22)),
    s('text', {x: 10, y: 38, class: 'node-state'}, clip(detail, 26)));
    if (onSelect) {
      group.addEventListener('click', () => onSelect(task.title));
      group.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(task.title);
        }
      });
    }
    return group;
  });

  return s('svg', {class: 'task-graph', viewBox: `0 0 ${width} ${height}`, width, height,
    role: 'group', 'aria-label': 'Task graph'},
  s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'}, s('path', {d: 'M0,0 L10,5 L0,10 z'}))),
  edges, nodes);
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
