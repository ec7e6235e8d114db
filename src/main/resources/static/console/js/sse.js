// Server-Sent Events over fetch(): EventSource cannot send an Authorization header. Parses the
// event stream, remembers the last event id and reconnects with Last-Event-ID after a break.

import { tokens, refresh } from './api.js';

export function openStream(path, onEvent, { onState = () => {}, retryMs = 2000 } = {}) {
  let lastEventId = null;
  let stopped = false;
  let controller = null;

  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { accept: 'text/event-stream' };
        const current = tokens();
        if (current) headers.authorization = `Bearer ${current.access}`;
        if (lastEventId !== null) headers['last-event-id'] = lastEventId;
        const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401) {
          if (!(await refresh())) {
            onState('signed-out');
            return;
          }
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        onState('open');
        await read(response.body.getReader());
      } catch (error) {
        if (stopped) return;
      }
      if (stopped) return;
      onState('reconnecting');
      await new Promise(resolve => setTimeout(resolve, retryMs));
    }
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { type: 'message', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.id !== null) lastEventId = event.id;
          if (event.data.length > 0) dispatch(event);
          event = { type: 'message', data: [], id: null };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const name = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? '' : line.slice(colon + 1);
        if (text.startsWith(' ')) text = text.slice(1);
        if (name === 'event') event.type = text;
        else if (name === 'data') event.data.push(text);
        else if (name === 'id' && !text.includes('\0')) event.id = text;
        else if (name === 'retry' && /^\d+$/.test(text)) retryMs = Number(text);
      }
    }
  }

  function dispatch(event) {
    const raw = event.data.join('\n');
    let data = raw;
    try {
      data = JSON.parse(raw);
    } catch {
      // plain text data
    }
    onEvent({ type: event.type, id: event.id, data });
  }

  connect();
  return {
    close() {
      stopped = true;
      if (controller) controller.abort();
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
