// Tiny DOM helpers: everything is built with createElement/textContent (never innerHTML), so job
// data (types, messages, errors) can never inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const TERMINAL = new Set(['COMPLETED', 'DEAD', 'CANCELLED', 'EXPIRED']);
export const STATUSES = [
  'PENDING',
  'QUEUED',
  'RUNNING',
  'FAILED',
  'COMPLETED',
  'DEAD',
  'CANCELLED',
  'EXPIRED',
];

export function statusBadge(status) {
  return h(
    'span',
    { class: `badge status-${String(status).toLowerCase()}`, dataset: { status } },
    status,
  );
}

/** A progress bar; `update(bar, percent, message)` moves it. */
export function progressBar(percent, message, { jobId, large = false } = {}) {
  const fill = h('span', { class: 'fill' });
  const label = h('span', { class: 'label' });
  const bar = h(
    'div',
    {
      class: large ? 'progress large' : 'progress',
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      dataset: jobId ? { jobId } : {},
    },
    h('span', { class: 'track' }, fill),
    label,
  );
  updateProgress(bar, percent, message);
  return bar;
}

export function updateProgress(bar, percent, message) {
  const value = Math.max(0, Math.min(100, Math.round(Number(percent) || 0)));
  bar.setAttribute('aria-valuenow', String(value));
  bar.setAttribute('aria-valuetext', message ? `${value}% – ${message}` : `${value}%`);
  bar.querySelector('.fill').style.width = `${value}%`;
  bar.querySelector('.label').textContent = message ? `${value}% · ${message}` : `${value}%`;
  bar.classList.toggle('done', value >= 100);
}

export function shortId(id) {
  return String(id).slice(0, 8);
}

/** A link to a job's page, showing its short id. */
export function jobLink(jobId, title = jobId) {
  return h('a', { href: `#/jobs/${jobId}`, class: 'mono', title }, shortId(jobId));
}

export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toLocaleString() }, relative(date));
}

export function relative(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [seconds, 'second']
      : abs < 3600
        ? [Math.round(seconds / 60), 'minute']
        : abs < 86400
          ? [Math.round(seconds / 3600), 'hour']
          : [Math.round(seconds / 86400), 'day'];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(value, unit);
}

let toastTimer;
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), 5000);
}

export function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
