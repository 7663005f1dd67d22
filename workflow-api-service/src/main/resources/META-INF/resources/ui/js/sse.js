// Server-sent events read with fetch, so that a request can carry a bearer token (EventSource
// cannot send an Authorization header). Reconnects with Last-Event-ID after a dropped stream and
// stops for good on close(): leaving a page aborts the request, and the server ends its work.

import {authHeaders, refused, url} from './api.js';

/** The longest event this reader buffers; a longer one ends the stream as broken. */
const MAX_EVENT_CHARS = 1 << 20;

/**
 * Opens an SSE stream. Handlers: onEvent(type, data, id), onState('open'|'retrying'|'ended'|
 * 'failed', detail). An `end` or `error` event of a log follow ends the stream (no reconnect).
 */
export function openStream(path, query, {onEvent, onState = () => {}, lastEventId = null, endOn = []} = {}) {
  const controller = new AbortController();
  let lastId = lastEventId;
  let retryMs = 2000;
  let failures = 0;
  let closed = false;
  let timer = null;

  async function connect() {
    if (closed) return;
    let response;
    try {
      const headers = {Accept: 'text/event-stream', ...(await authHeaders())};
      if (lastId !== null && lastId !== undefined) headers['Last-Event-ID'] = String(lastId);
      response = await fetch(url(path, query), {headers, signal: controller.signal, cache: 'no-store'});
    } catch (e) {
      return scheduleRetry(e.message || String(e));
    }
    if (response.status === 429 || response.status === 503) {
      const after = Number(response.headers.get('Retry-After'));
      return scheduleRetry(`HTTP ${response.status}`, Number.isFinite(after) && after > 0 ? after * 1000 : null);
    }
    if (response.status === 401) refused();
    if (!response.ok || !response.body) {
      let problem = null;
      try {
        problem = await response.json();
      } catch {
        problem = {title: `HTTP ${response.status}`};
      }
      closed = true;
      onState('failed', problem);
      return;
    }
    failures = 0;
    onState('open');
    try {
      const ended = await read(response.body);
      if (ended) {
        closed = true;
        onState('ended');
        return;
      }
    } catch (e) {
      if (closed) return;
      return scheduleRetry(e.message || String(e));
    }
    scheduleRetry('the stream closed');
  }

  function scheduleRetry(reason, delay) {
    if (closed) return;
    failures += 1;
    const wait = delay || Math.min(30000, retryMs * Math.min(8, 2 ** (failures - 1)));
    onState('retrying', reason);
    timer = setTimeout(connect, wait);
  }

  // Parses the stream; resolves true when an ending event arrived.
  async function read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let type = 'message';
    let data = [];
    let dataChars = 0;
    let id = null;
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return false;
      buffer += value;
      if (buffer.length > MAX_EVENT_CHARS) throw new Error('an event longer than 1 MiB');
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A CR at the very end may be the first half of a CRLF split across two reads.
        if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (id !== null) lastId = id;
          if (data.length) {
            const text = data.join('\n');
            let parsed = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: handed on as text
            }
            onEvent(type, parsed, id);
            if (endOn.includes(type)) {
              controller.abort();
              return true;
            }
          }
          type = 'message';
          data = [];
          dataChars = 0;
          id = null;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') {
          dataChars += value.length;
          if (dataChars > MAX_EVENT_CHARS) throw new Error('an event longer than 1 MiB');
          data.push(value);
        } else if (field === 'event') {
          type = value;
        } else if (field === 'id') {
          id = value;
        } else if (field === 'retry' && /^\d+$/.test(value)) {
          retryMs = Math.max(1000, Number(value));
        }
      }
    }
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller.abort();
    },
    get lastEventId() {
      return lastId;
    },
  };
}
