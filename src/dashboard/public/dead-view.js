import { api } from './api.js';
import { bulkReplayPanel } from './bulk-replay.js';
import { filterForm, filterFrom } from './dead-filters.js';
import { h, jobLink, newKey, replace, shortId, statusBadge, time, toast } from './dom.js';

const NO_REPLAY =
  'Replay needs the dead-letter admin API (POST /admin/dlq/{id}/replay), which this server does not offer.';

/** #/dead?type=&errorText=&from=&to= — dead jobs with their last error, a replay button each, and a bulk replay of all that match. */
export function deadView(root, params = new URLSearchParams()) {
  const filter = filterFrom(params);
  const body = h('tbody');
  const note = h('p', { class: 'muted', hidden: true });
  const more = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, onclick: () => void load(true) },
    'Load more',
  );
  let cursor = null;
  let replayAvailable = true;
  const bulk = bulkReplayPanel(filter);

  replace(
    root,
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Dead jobs'),
      h(
        'p',
        { class: 'muted' },
        'Jobs whose attempts are exhausted. Replay submits a new job with the same type and payload.',
      ),
      filterForm(filter),
    ),
    note,
    bulk,
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'dead' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Job', 'Type', 'Died', 'Attempts', 'Last error', 'Replays', ''].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
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
      page = await api.deadJobs({ ...filter, cursor: append ? cursor : undefined });
    } catch (error) {
      if (error.status !== 404) {
        toast(`Could not load dead jobs: ${error.message}`, 'error');
        return;
      }
      // No DLQ admin API on this server: list DEAD jobs from the jobs API, replay unavailable.
      replayAvailable = false;
      bulk.hidden = true;
      page = await api
        .listJobs({ status: 'DEAD', cursor: append ? cursor : undefined })
        .catch(() => ({ items: [], nextCursor: null }));
    }
    cursor = page.nextCursor;
    if (!append) body.replaceChildren();
    for (const job of page.items) body.append(row(job));
    if (body.children.length === 0)
      body.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No dead jobs.')));
    more.hidden = !cursor;
    note.hidden = replayAvailable;
    note.textContent = replayAvailable ? '' : NO_REPLAY;
  }

  function row(job) {
    const replays = h(
      'td',
      { class: 'replays' },
      (job.replays ?? []).map((r) =>
        jobLink(r.jobId, `replayed ${new Date(r.replayedAt).toLocaleString()}`),
      ),
    );
    const key = newKey(); // one key per row: a double click replays once
    const button = h(
      'button',
      {
        type: 'button',
        class: 'replay',
        disabled: !replayAvailable,
        title: replayAvailable ? 'Submit this job again' : NO_REPLAY,
        dataset: { jobId: job.jobId },
        onclick: async () => {
          button.disabled = true;
          try {
            const accepted = await api.replay(job.jobId, key);
            replays.append(jobLink(accepted.jobId));
            toast(`Replayed as ${shortId(accepted.jobId)}`);
            button.textContent = 'Replayed';
          } catch (error) {
            button.disabled = false;
            toast(`Replay failed: ${error.message}`, 'error');
          }
        },
      },
      'Replay',
    );
    return h(
      'tr',
      { dataset: { jobId: job.jobId } },
      h('td', {}, jobLink(job.jobId)),
      h('td', {}, job.type),
      h('td', {}, time(job.finishedAt ?? job.updatedAt)),
      h('td', {}, `${job.attempts} / ${job.maxAttempts}`),
      h(
        'td',
        { class: 'reason' },
        job.error
          ? job.error.code
            ? `${job.error.code}: ${job.error.message}`
            : job.error.message
          : statusBadge(job.status),
      ),
      replays,
      h('td', {}, button),
    );
  }

  void load();
  return () => {};
}
