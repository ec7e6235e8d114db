// Small DOM helpers: elements are built with properties and text nodes, never from HTML strings.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let ids = 0;
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled input inside a .field wrapper. */
export function field(label, attrs = {}) {
  const id = attrs.id || uid('f');
  const input = attrs.options
    ? h('select', { id, name: attrs.name }, attrs.options.map(([value, text]) => h('option', { value }, text)))
    : h('input', { id, type: 'text', ...attrs, options: undefined });
  return { wrap: h('div', { class: 'field' }, h('label', { for: id }, label), input), input };
}

/** A table with a caption; columns are [heading, row => value or Node]. */
export function table(caption, columns, rows, emptyText = 'Nothing to show.') {
  if (!rows || rows.length === 0) {
    return h('p', { class: 'empty' }, `${caption}: ${emptyText}`);
  }
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', { scope: 'col' }, heading)))),
      h('tbody', {}, rows.map(row => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row) ?? '—')))))));
}

export function card(title, ...children) {
  const id = uid('card');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function when(value) {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  return `${(Number(minor) / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency || ''}`.trim();
}

export function duration(seconds) {
  const negative = seconds < 0;
  let s = Math.abs(Math.round(seconds));
  const h_ = Math.floor(s / 3600);
  s -= h_ * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = h_ > 0 ? `${h_}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
  return negative ? `${text} overdue` : text;
}

export function isoDate(date) {
  return date.toISOString().slice(0, 10);
}
