import { h } from './dom.js';

/** The dead-letter filters the list and a bulk replay share, read from and written to #/dead?… */
export const FILTER_FIELDS = ['type', 'errorText', 'from', 'to'];

export function filterFrom(params) {
  const filter = {};
  for (const field of FILTER_FIELDS) {
    const value = params.get(field);
    if (value) filter[field] = value;
  }
  return filter;
}

// <input type="datetime-local"> speaks local time without a zone; the API wants an instant.
const toLocalInput = (iso) => {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value) => (value ? new Date(value).toISOString() : '');

/** The filter form; submitting it moves to #/dead with the new filter. */
export function filterForm(filter) {
  const input = (name, attrs) => h('input', { name, value: filter[name] ?? '', ...attrs });
  const type = input('type', {
    placeholder: 'Any type',
    'aria-label': 'Type',
    autocomplete: 'off',
  });
  const errorText = input('errorText', {
    placeholder: 'Error text',
    'aria-label': 'Error text',
    maxlength: 200,
  });
  const from = h('input', {
    name: 'from',
    type: 'datetime-local',
    'aria-label': 'Died from',
    value: toLocalInput(filter.from),
  });
  const to = h('input', {
    name: 'to',
    type: 'datetime-local',
    'aria-label': 'Died before',
    value: toLocalInput(filter.to),
  });
  return h(
    'form',
    {
      class: 'filters dead-filters',
      onsubmit: (event) => {
        event.preventDefault();
        const search = new URLSearchParams();
        if (type.value.trim()) search.set('type', type.value.trim());
        if (errorText.value.trim()) search.set('errorText', errorText.value.trim());
        if (from.value) search.set('from', fromLocalInput(from.value));
        if (to.value) search.set('to', fromLocalInput(to.value));
        location.hash = `#/dead${search.size ? `?${search}` : ''}`;
      },
    },
    type,
    errorText,
    h('label', { class: 'inline' }, 'from ', from),
    h('label', { class: 'inline' }, 'before ', to),
    h('button', { type: 'submit' }, 'Filter'),
  );
}
