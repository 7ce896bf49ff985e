import { api } from './api.js';
import {
  h,
  progressBar,
  replace,
  statusBadge,
  TERMINAL,
  time,
  toast,
  updateProgress,
} from './dom.js';
import { followJob } from './live.js';
import { videoResultCard } from './video-result.js';

/** #/jobs/{id} — one job: live status and progress, facts, attempts with their errors, full history. */
export function jobView(root, jobId) {
  const state = { job: null, history: [] };
  const status = h('span', {}, statusBadge('…'));
  const bar = progressBar(0, null, { jobId, large: true });
  const facts = h('dl', { class: 'facts' });
  const actions = h('div', { class: 'actions' });
  const errorBox = h('div', { class: 'error-box', hidden: true });
  const video = h('div');
  const attempts = h('tbody');
  const history = h('tbody');

  replace(
    root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, '← Jobs')),
    h('div', { class: 'page-head' }, h('h1', { class: 'mono' }, jobId), status),
    h('section', { class: 'card' }, bar, facts, actions),
    errorBox,
    video,
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Attempts'),
      h(
        'table',
        { class: 'attempts' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['#', 'Started', 'Ended', 'Outcome', 'Error'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        attempts,
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Status history'),
      h(
        'table',
        { class: 'history' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['When', 'From', 'To', 'Attempt', 'Reason'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        history,
      ),
    ),
  );

  const stop = followJob(jobId, {
    onSnapshot: (data) => {
      state.job = data;
      render();
      void loadHistory();
    },
    onProgress: (data) => {
      if (!state.job) return;
      state.job.progress = data;
      updateProgress(bar, data.percent, data.message);
    },
    onStatus: (data) => {
      if (!state.job) return;
      state.job.status = data.to;
      state.job.attempts = Math.max(state.job.attempts, data.attempt);
      if (data.resultUrl) state.job.resultUrl = data.resultUrl;
      if (data.to === 'COMPLETED') state.job.progress = { ...state.job.progress, percent: 100 };
      if (!state.history.some((t) => t.at === data.at && t.to === data.to))
        state.history.push(data);
      render();
      if (TERMINAL.has(data.to)) void loadHistory();
    },
    onError: () => {
      if (!state.job) void explainFailure();
    },
  });

  async function explainFailure() {
    try {
      await api.status(jobId);
    } catch (error) {
      stop();
      replace(
        root,
        h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, '← Jobs')),
        h(
          'div',
          { class: 'card' },
          h('h1', {}, error.status === 404 ? 'No such job' : 'Could not load the job'),
          h('p', { class: 'muted' }, error.message),
        ),
      );
    }
  }

  async function loadHistory() {
    try {
      state.history = await api.history(jobId);
      render();
    } catch (error) {
      toast(`Could not load history: ${error.message}`, 'error');
    }
  }

  function render() {
    const job = state.job;
    if (job.type === 'video.transcode' && job.status === 'COMPLETED' && !video.hasChildNodes())
      video.append(videoResultCard(jobId));
    replace(status, statusBadge(job.status));
    updateProgress(bar, job.progress?.percent ?? 0, job.progress?.message);
    replace(
      facts,
      fact('Type', job.type),
      fact('Attempts', `${job.attempts} / ${job.maxAttempts}`),
      fact('Created', time(job.createdAt)),
      fact('Started', time(job.startedAt)),
      fact('Finished', time(job.finishedAt)),
      job.nextAttemptAt ? fact('Next attempt', time(job.nextAttemptAt)) : null,
      job.resultUrl || job.status === 'COMPLETED'
        ? fact(
            'Result',
            h(
              'a',
              { href: job.resultUrl ?? `/jobs/${jobId}/result`, target: '_blank', rel: 'noopener' },
              'open result',
            ),
          )
        : null,
    );
    replace(
      actions,
      TERMINAL.has(job.status)
        ? null
        : h('button', { type: 'button', class: 'danger', onclick: cancel }, 'Cancel job'),
    );
    const lastError = job.error;
    errorBox.hidden = !lastError;
    if (lastError)
      replace(
        errorBox,
        h('h2', {}, `Last error (attempt ${lastError.attempt})`),
        h(
          'pre',
          {},
          lastError.code ? `${lastError.code}: ${lastError.message}` : lastError.message,
        ),
      );
    renderAttempts();
    replace(
      history,
      state.history.map((t) =>
        h(
          'tr',
          {},
          h('td', {}, time(t.at)),
          h('td', {}, t.from ? statusBadge(t.from) : '—'),
          h('td', {}, statusBadge(t.to)),
          h('td', {}, String(t.attempt)),
          h('td', { class: 'reason' }, t.reason ?? ''),
        ),
      ),
    );
  }

  function renderAttempts() {
    const byAttempt = new Map();
    for (const t of state.history) {
      if (t.attempt < 1) continue;
      const entry = byAttempt.get(t.attempt) ?? {
        started: null,
        ended: null,
        outcome: null,
        error: null,
      };
      if (t.to === 'RUNNING') entry.started = t.at;
      else if (t.from === 'RUNNING' || (TERMINAL.has(t.to) && entry.started && !entry.ended)) {
        entry.ended = t.at;
        entry.outcome = t.to;
        if (t.to !== 'COMPLETED') entry.error = t.reason;
      }
      byAttempt.set(t.attempt, entry);
    }
    const rows = [...byAttempt.entries()].sort(([a], [b]) => a - b);
    replace(
      attempts,
      rows.length
        ? rows.map(([n, a]) =>
            h(
              'tr',
              {},
              h('td', {}, String(n)),
              h('td', {}, time(a.started)),
              h('td', {}, time(a.ended)),
              h(
                'td',
                {},
                a.outcome ? statusBadge(a.outcome) : h('span', { class: 'muted' }, 'running'),
              ),
              h('td', { class: 'reason' }, a.error ?? ''),
            ),
          )
        : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'Not started yet.')),
    );
  }

  async function cancel() {
    if (!confirm('Cancel this job?')) return;
    try {
      await api.cancel(jobId);
      toast('Cancelled');
    } catch (error) {
      toast(`Not cancelled: ${error.message}`, 'error');
    }
  }

  return stop;
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value ?? '—')];
}
