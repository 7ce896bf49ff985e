import { api } from './api.js';
import { h, replace, shortId, time, toast } from './dom.js';

/** #/schedules — persistent schedules, when they fire next, and their last fire. */
export function schedulesView(root) {
  const content = h('div', { class: 'card table-wrap' }, h('p', { class: 'muted' }, 'Loading…'));
  replace(root, h('div', { class: 'page-head' }, h('h1', {}, 'Schedules')), content);

  async function load() {
    let page;
    try {
      page = await api.schedules();
    } catch (error) {
      replace(
        content,
        h(
          'p',
          { class: 'muted' },
          error.status === 404
            ? 'This server has no schedules API yet.'
            : `Could not load schedules: ${error.message}`,
        ),
      );
      return;
    }
    if (page.items.length === 0) {
      replace(
        content,
        h('p', { class: 'muted' }, 'No schedules. Create one with POST /schedules.'),
      );
      return;
    }
    replace(
      content,
      h(
        'table',
        { class: 'schedules' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Name', 'When', 'Job', 'State', 'Next fire', 'Last fire', 'Misfires', ''].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h('tbody', {}, page.items.map(row)),
      ),
    );
  }

  function row(s) {
    const state = s.status ?? (s.enabled ? 'active' : 'paused');
    return h(
      'tr',
      { dataset: { scheduleId: s.id } },
      h('td', {}, s.name ?? shortId(s.id)),
      h(
        'td',
        {},
        h('code', {}, s.cron ?? ''),
        s.timezone ? h('span', { class: 'muted' }, ` ${s.timezone}`) : null,
      ),
      h('td', {}, s.job?.type ?? ''),
      h(
        'td',
        {},
        h('span', { class: `badge schedule-${state}` }, state),
        s.lastError ? h('div', { class: 'reason' }, s.lastError) : null,
      ),
      h('td', {}, time(s.nextFireTime)),
      h(
        'td',
        {},
        time(s.lastFireTime),
        s.lastJobId
          ? h(
              'div',
              {},
              h('a', { href: `#/jobs/${s.lastJobId}`, class: 'mono' }, shortId(s.lastJobId)),
            )
          : null,
      ),
      h('td', {}, String(s.misfireCount ?? 0)),
      h(
        'td',
        { class: 'row-actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => act(s, 'trigger', 'Fired') },
          'Run now',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => act(s, s.enabled ? 'pause' : 'resume', s.enabled ? 'Paused' : 'Resumed'),
          },
          s.enabled ? 'Pause' : 'Resume',
        ),
      ),
    );
  }

  async function act(schedule, action, done) {
    try {
      await api.scheduleAction(schedule.id, action);
      toast(`${done}: ${schedule.name}`);
      await load();
    } catch (error) {
      toast(`${action} failed: ${error.message}`, 'error');
    }
  }

  void load();
  return () => {};
}
