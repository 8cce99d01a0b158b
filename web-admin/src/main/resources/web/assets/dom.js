// Building DOM without HTML strings: text from the network (SIP display names, syslog lines, server
// messages) always goes through textContent, so it can never become markup or script.

/** h('td', {class: 'num', onclick: fn}, 'text', childNode, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else if (name === 'checked' || name === 'disabled' || name === 'hidden' || name === 'selected') {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function fmtDuration(totalSec) {
  if (totalSec === null || totalSec === undefined || totalSec < 0) return '–';
  const s = Math.floor(totalSec % 60), m = Math.floor(totalSec / 60) % 60, hours = Math.floor(totalSec / 3600);
  const pad = n => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function fmtElapsed(totalSec) {
  const d = Math.floor(totalSec / 86400), hrs = Math.floor(totalSec / 3600) % 24,
    m = Math.floor(totalSec / 60) % 60, s = Math.floor(totalSec % 60);
  return [d && `${d}d`, (d || hrs) && `${hrs}h`, `${m}m`, `${s}s`].filter(Boolean).join(' ');
}

export function fmtTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return isNaN(date) ? String(iso) : date.toLocaleString(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'
  });
}

export function fmtNum(value, digits = 1, unit = '') {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return Number(value).toFixed(digits) + unit;
}

export function card(title, ...children) {
  return h('section', {class: 'card'}, title ? h('h2', {}, title) : null, ...children);
}

export function pageHeader(title, subtitle) {
  return [h('h1', {}, title), subtitle ? h('p', {class: 'subtitle'}, subtitle) : null];
}

export function badge(text, kind = '') {
  return h('span', {class: `badge ${kind}`}, text);
}

export function table(headers, rows, emptyText) {
  const body = h('tbody');
  if (rows.length === 0) {
    body.append(h('tr', {}, h('td', {colspan: headers.length, class: 'empty'}, emptyText || 'Nothing to show.')));
  } else {
    rows.forEach(row => body.append(row));
  }
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map(hd =>
    typeof hd === 'string' ? h('th', {}, hd) : h('th', {class: hd.class || ''}, hd.text)))), body);
}
