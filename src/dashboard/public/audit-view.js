import { api } from './api.js';
import { h, replace, time, toast } from './dom.js';

const COLUMNS = ['When', 'Actor', 'Tenant', 'Action', 'Target', 'From', 'Request'];

/** #/audit?action=&actor= — the append-only audit trail (admins), newest first. */
export function auditView(root, params) {
  const filter = { action: params.get('action') ?? '', actor: params.get('actor') ?? '' };
  const body = h('tbody');
  const more = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, onclick: () => void load(true) },
    'Load more',
  );
  const action = h('input', {
    name: 'action',
    placeholder: 'Any action',
    'aria-label': 'Action',
    value: filter.action,
    autocomplete: 'off',
  });
  const actor = h('input', {
    name: 'actor',
    placeholder: 'Any actor',
    'aria-label': 'Actor',
    value: filter.actor,
    autocomplete: 'off',
  });
  let cursor = null;

  const form = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const search = new URLSearchParams();
        if (action.value.trim()) search.set('action', action.value.trim());
        if (actor.value.trim()) search.set('actor', actor.value.trim());
        location.hash = `#/audit${search.size ? `?${search}` : ''}`;
      },
    },
    action,
    actor,
    h('button', { type: 'submit' }, 'Filter'),
  );

  replace(
    root,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Audit trail'),
      h(
        'p',
        { class: 'muted' },
        'Every admin and security-relevant action: who, when, from where. Nothing here can be edited.',
      ),
      form,
    ),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'audit' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            COLUMNS.map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        body,
      ),
    ),
    more,
  );

  async function load(append = false) {
    let page;
    try {
      page = await api.audit({
        action: filter.action,
        actor: filter.actor,
        cursor: append ? cursor : undefined,
      });
    } catch (error) {
      toast(`Could not load the audit trail: ${error.message}`, 'error');
      if (!append)
        body.replaceChildren(
          h(
            'tr',
            {},
            h(
              'td',
              { colspan: COLUMNS.length, class: 'muted' },
              error.status === 403 ? 'The audit trail is for admin keys.' : 'Not available.',
            ),
          ),
        );
      return;
    }
    cursor = page.nextCursor;
    if (!append) body.replaceChildren();
    for (const entry of page.items) {
      body.append(
        h(
          'tr',
          { dataset: { action: entry.action } },
          h('td', {}, time(entry.at)),
          h('td', {}, `${entry.actor} (${entry.actorRole})`),
          h('td', {}, entry.tenant),
          h('td', { class: 'action' }, entry.action),
          h('td', { class: 'target' }, entry.target ?? ''),
          h('td', {}, entry.remoteAddress ?? ''),
          h('td', { class: 'muted' }, entry.requestId ?? ''),
        ),
      );
    }
    if (body.children.length === 0)
      body.append(
        h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted' }, 'Nothing recorded.')),
      );
    more.hidden = !cursor;
  }

  void load();
  return () => {};
}
