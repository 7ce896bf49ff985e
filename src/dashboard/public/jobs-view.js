import { api } from './api.js';
import {
  h,
  progressBar,
  replace,
  jobLink,
  shortId,
  statusBadge,
  STATUSES,
  TERMINAL,
  time,
  toast,
  updateProgress,
} from './dom.js';
import { JobsFollower } from './live.js';

const REFRESH_MS = 5000;

/** #/jobs?status=&type= — the jobs list with filters, a submit form and live progress bars. */
export function jobsView(root, params) {
  const filter = { status: params.get('status') ?? '', type: params.get('type') ?? '' };
  const rows = new Map(); // jobId -> { tr, job }
  let nextCursor = null;
  let pagesLoaded = 0;
  const body = h('tbody');
  const empty = h('p', { class: 'muted empty', hidden: true }, 'No jobs match.');
  const more = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true, onclick: () => load(true) },
    'Load more',
  );
  const follower = new JobsFollower({
    onSnapshot: (data) =>
      apply(data.jobId, {
        status: data.status,
        progress: data.progress,
        attempts: data.attempts,
        maxAttempts: data.maxAttempts,
      }),
    onProgress: (data) => apply(data.jobId, { progress: data }),
    onStatus: (data) =>
      apply(data.jobId, {
        status: data.to,
        attempts: data.attempt,
        ...(data.to === 'COMPLETED' ? { progress: { percent: 100 } } : {}),
      }),
  });

  const statusSelect = h(
    'select',
    { name: 'status', 'aria-label': 'Status' },
    h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === filter.status }, s)),
  );
  const typeInput = h('input', {
    name: 'type',
    placeholder: 'Any type',
    'aria-label': 'Type',
    value: filter.type,
    list: 'job-types',
    autocomplete: 'off',
  });
  const types = h('datalist', { id: 'job-types' });
  const filters = h(
    'form',
    {
      class: 'filters',
      onsubmit: (event) => {
        event.preventDefault();
        const search = new URLSearchParams();
        if (statusSelect.value) search.set('status', statusSelect.value);
        if (typeInput.value.trim()) search.set('type', typeInput.value.trim());
        location.hash = `#/jobs${search.size ? `?${search}` : ''}`;
      },
    },
    statusSelect,
    typeInput,
    types,
    h('button', { type: 'submit' }, 'Filter'),
  );
  statusSelect.addEventListener('change', () => filters.requestSubmit());

  replace(
    root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Jobs'), filters),
    submitForm((accepted, type) => {
      if (matches({ status: accepted.status, type })) {
        upsert(
          {
            jobId: accepted.jobId,
            type,
            status: accepted.status,
            progress: { percent: 0, message: null },
            attempts: 0,
            maxAttempts: null,
            createdAt: new Date().toISOString(),
          },
          true,
        );
        followUnfinished();
      }
    }),
    h(
      'div',
      { class: 'card table-wrap' },
      h(
        'table',
        { class: 'jobs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Job', 'Type', 'Status', 'Progress', 'Attempts', 'Created'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        body,
      ),
      empty,
    ),
    more,
  );

  function matches(job) {
    return (
      (!filter.status || job.status === filter.status) && (!filter.type || job.type === filter.type)
    );
  }

  function upsert(job, prepend = false) {
    const known = rows.get(job.jobId);
    if (known) {
      apply(job.jobId, job);
      return;
    }
    const bar = progressBar(job.progress?.percent ?? 0, job.progress?.message, {
      jobId: job.jobId,
    });
    const tr = h(
      'tr',
      { dataset: { jobId: job.jobId } },
      h('td', {}, jobLink(job.jobId)),
      h('td', {}, job.type),
      h('td', { class: 'status-cell' }, statusBadge(job.status)),
      h('td', { class: 'progress-cell' }, bar),
      h('td', { class: 'attempts' }, attemptsText(job)),
      h('td', {}, time(job.createdAt)),
    );
    rows.set(job.jobId, { tr, job: { ...job } });
    if (prepend) body.prepend(tr);
    else body.append(tr);
    empty.hidden = true;
    if (job.type && ![...types.options].some((o) => o.value === job.type))
      types.append(h('option', { value: job.type }));
  }

  function apply(jobId, change) {
    const row = rows.get(jobId);
    if (!row) return;
    const job = row.job;
    if (change.status && change.status !== job.status) {
      job.status = change.status;
      replace(row.tr.querySelector('.status-cell'), statusBadge(job.status));
    }
    if (change.progress) {
      const percent = change.progress.percent ?? job.progress?.percent ?? 0;
      const message =
        change.progress.message !== undefined ? change.progress.message : job.progress?.message;
      job.progress = { percent, message };
      updateProgress(row.tr.querySelector('.progress'), percent, message);
    }
    if (change.attempts !== undefined) job.attempts = change.attempts;
    if (change.maxAttempts !== undefined) job.maxAttempts = change.maxAttempts;
    row.tr.querySelector('.attempts').textContent = attemptsText(job);
  }

  function followUnfinished() {
    follower.set(
      [...rows.values()].filter(({ job }) => !TERMINAL.has(job.status)).map(({ job }) => job.jobId),
    );
  }

  async function load(append = false) {
    try {
      const page = await api.listJobs({ ...filter, cursor: append ? nextCursor : undefined });
      // A refresh re-reads the first page; the cursor moves only with the pages actually shown.
      if (append || pagesLoaded === 0) {
        nextCursor = page.nextCursor;
        pagesLoaded++;
      }
      const items = append ? page.items : [...page.items].reverse();
      for (const job of items) upsert(job, !append && rows.size > 0);
      empty.hidden = rows.size > 0;
      more.hidden = !nextCursor;
      followUnfinished();
    } catch (error) {
      toast(`Could not load jobs: ${error.message}`, 'error');
    }
  }

  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return () => {
    clearInterval(timer);
    follower.close();
  };
}

function attemptsText(job) {
  return job.maxAttempts ? `${job.attempts ?? 0} / ${job.maxAttempts}` : String(job.attempts ?? 0);
}

function submitForm(onAccepted) {
  const type = h('input', {
    name: 'type',
    required: true,
    value: 'sleep',
    pattern: '[a-z0-9][a-z0-9._\\-]{0,63}',
    'aria-label': 'Job type',
  });
  const payload = h('textarea', {
    name: 'payload',
    rows: 3,
    spellcheck: 'false',
    'aria-label': 'Payload (JSON)',
  });
  payload.value = '{ "ms": 3000, "steps": 10 }';
  const button = h('button', { type: 'submit' }, 'Submit job');
  const form = h(
    'form',
    {
      class: 'submit-job',
      onsubmit: async (event) => {
        event.preventDefault();
        let parsed;
        try {
          parsed = payload.value.trim() ? JSON.parse(payload.value) : {};
        } catch {
          toast('The payload is not valid JSON', 'error');
          return;
        }
        button.disabled = true;
        try {
          const accepted = await api.submit({ type: type.value.trim(), payload: parsed });
          toast(`Submitted ${shortId(accepted.jobId)} (${accepted.status})`);
          onAccepted(accepted, type.value.trim());
        } catch (error) {
          toast(`Not submitted: ${error.message}`, 'error');
        } finally {
          button.disabled = false;
        }
      },
    },
    h('label', {}, h('span', {}, 'Type'), type),
    h('label', { class: 'grow' }, h('span', {}, 'Payload (JSON)'), payload),
    button,
  );
  return h('details', { class: 'card new-job' }, h('summary', {}, 'New job'), form);
}
