import { api } from './api.js';
import { h, jobLink, replace, shortId, toast } from './dom.js';

const DEFAULT_RATE = 10;

/**
 * "Replay all matching": a dry run first (how many, shown before anything happens), then the real run
 * at the chosen rate — a `dlq.replay` job, linked so it can be followed or cancelled.
 */
export function bulkReplayPanel(filter) {
  const status = h('p', { class: 'bulk-status muted', role: 'status' });
  const rate = h('input', {
    name: 'rate',
    type: 'number',
    min: 1,
    max: 1000,
    value: DEFAULT_RATE,
    'aria-label': 'Replays per second',
  });
  const confirm = h(
    'button',
    { type: 'button', class: 'bulk-confirm', hidden: true },
    'Replay them',
  );
  const cancel = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Cancel');
  const count = h(
    'button',
    { type: 'button', class: 'bulk-count secondary' },
    'Replay all matching…',
  );
  const confirmRow = h(
    'span',
    { class: 'bulk-confirm-row', hidden: true },
    h('label', { class: 'inline' }, 'per second ', rate),
    confirm,
    cancel,
  );

  const reset = () => {
    confirmRow.hidden = true;
    confirm.hidden = true;
    cancel.hidden = true;
    count.disabled = false;
  };

  count.addEventListener('click', async () => {
    count.disabled = true;
    try {
      const preview = await api.bulkReplay(filter, { dryRun: true });
      status.dataset.count = String(preview.count);
      if (preview.count === 0) {
        replace(status, 'No dead job matches (replayed and parked ones are left out).');
        reset();
        return;
      }
      replace(
        status,
        `${preview.count} dead job${preview.count === 1 ? '' : 's'} would be replayed. Replay them?`,
      );
      confirmRow.hidden = false;
      confirm.hidden = false;
      cancel.hidden = false;
    } catch (error) {
      toast(`Could not count: ${error.message}`, 'error');
      reset();
    }
  });
  cancel.addEventListener('click', () => {
    replace(status, '');
    reset();
  });
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    const ratePerSecond = Number(rate.value) || DEFAULT_RATE;
    try {
      const run = await api.bulkReplay(filter, { ratePerSecond });
      replace(
        status,
        `Replaying ${run.count} at ${ratePerSecond}/s: `,
        jobLink(run.jobId, `bulk replay ${shortId(run.jobId)}`),
      );
      status.dataset.bulkJobId = run.jobId;
      toast(`Bulk replay started (${shortId(run.jobId)})`);
    } catch (error) {
      toast(`Bulk replay failed: ${error.message}`, 'error');
    } finally {
      confirm.disabled = false;
      reset();
    }
  });

  return h('div', { class: 'card bulk-replay' }, count, confirmRow, status);
}
