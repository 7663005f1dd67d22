// A start-run form generated from a revision's parameters schema (JSON Schema). The service stays
// the judge: the form sends what was typed and shows the 422 answer's pointers beside the fields.

import {h} from './dom.js';

/** Pointer segment escaping of RFC 6901. */
function pointerSegment(name) {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function typeOf(schema) {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  if (Array.isArray(schema.enum)) return 'enum';
  return 'json';
}

/**
 * Builds the fields. Returns {element, values(), showErrors(errors) -> unplaced errors, clearErrors()}.
 * values() throws an Error naming the field when a JSON field does not parse.
 */
export function parameterFields(schema) {
  const properties = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const fields = new Map();
  const rows = Object.entries(properties).map(([name, property]) => {
    const p = property && typeof property === 'object' ? property : {};
    const type = typeOf(p);
    const id = `param-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const hasDefault = Object.prototype.hasOwnProperty.call(p, 'default');
    let input;
    let read;
    if (Array.isArray(p.enum)) {
      input = h('select', {id, name},
        required.has(name) ? null : h('option', {value: ''}, '(not set)'),
        p.enum.map((v, i) => h('option', {value: String(i), selected: hasDefault && JSON.stringify(v) === JSON.stringify(p.default)}, String(v))));
      read = () => (input.value === '' ? undefined : p.enum[Number(input.value)]);
    } else if (type === 'boolean') {
      input = h('select', {id, name},
        required.has(name) ? null : h('option', {value: ''}, '(not set)'),
        h('option', {value: 'true', selected: hasDefault && p.default === true}, 'true'),
        h('option', {value: 'false', selected: hasDefault && p.default === false}, 'false'));
      read = () => (input.value === '' ? undefined : input.value === 'true');
    } else if (type === 'integer' || type === 'number') {
      input = h('input', {id, name, type: 'number', step: type === 'integer' ? 1 : 'any',
        min: p.minimum, max: p.maximum, value: hasDefault ? String(p.default) : null});
      read = () => {
        const text = input.value.trim();
        if (text === '') return undefined;
        const number = Number(text);
        return Number.isFinite(number) ? number : text;
      };
    } else if (type === 'string') {
      // No pattern attribute: browsers read it as a v-flag expression, which many JSON Schema
      // patterns are not (Firefox logs an error); the service checks the pattern.
      input = h('input', {id, name, type: 'text', maxlength: p.maxLength,
        value: hasDefault ? String(p.default) : null});
      read = () => (input.value === '' && !required.has(name) ? undefined : input.value);
    } else {
      input = h('textarea', {id, name, rows: 3, spellcheck: 'false'},
        hasDefault ? JSON.stringify(p.default, null, 2) : '');
      read = () => {
        const text = input.value.trim();
        if (text === '') return undefined;
        try {
          return JSON.parse(text);
        } catch {
          throw new Error(`${name}: not valid JSON`);
        }
      };
    }
    const error = h('div', {class: 'field-error', id: `${id}-error`, 'aria-live': 'polite'});
    input.setAttribute('aria-describedby', `${id}-error ${id}-help`);
    const hints = [
      type !== 'json' ? type : 'JSON',
      p.minimum !== undefined ? `≥ ${p.minimum}` : null,
      p.maximum !== undefined ? `≤ ${p.maximum}` : null,
      p.maxLength !== undefined ? `at most ${p.maxLength} characters` : null,
      p.pattern ? `pattern ${p.pattern}` : null,
    ].filter(Boolean).join(', ');
    fields.set(`/parameters/${pointerSegment(name)}`, {name, input, error, read});
    return h('div', {class: 'field', 'data-field': name},
      h('label', {for: id}, p.title || name, required.has(name) ? h('span', {class: 'required', title: 'required'}, ' *') : null),
      input,
      h('div', {class: 'help', id: `${id}-help`}, p.description ? `${p.description} ` : null, h('span', {class: 'muted'}, hints)),
      error);
  });

  return {
    element: h('div', {class: 'fields'}, rows.length ? rows : h('p', {class: 'muted'}, 'This revision takes no parameters.')),
    values() {
      const values = {};
      for (const field of fields.values()) {
        const value = field.read();
        if (value !== undefined) values[field.name] = value;
      }
      return values;
    },
    clearErrors() {
      for (const field of fields.values()) {
        field.error.textContent = '';
        field.input.removeAttribute('aria-invalid');
      }
    },
    /** Places errors whose pointer names a field; returns the others. */
    showErrors(errors) {
      const unplaced = [];
      for (const error of errors || []) {
        const pointer = error.pointer || '';
        const key = [...fields.keys()].find((k) => pointer === k || pointer.startsWith(`${k}/`));
        if (key) {
          const field = fields.get(key);
          field.error.textContent = field.error.textContent ? `${field.error.textContent}; ${error.message}` : error.message;
          field.input.setAttribute('aria-invalid', 'true');
        } else {
          unplaced.push(error);
        }
      }
      return unplaced;
    },
  };
}
