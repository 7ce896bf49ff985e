// Renders bench/results/latest.json (or one suite's result) as Markdown: the console summary,
// bench/results/latest.md and the README's performance section all come from here.
import { bestOf, computeChecks, longhaulLabel, pgbossLabel, settingText } from './checks.js';
import { num, table } from './format.js';

const star = (point, best) => (point === best ? ' ★' : '');
const secs = (ms) => num(ms / 1000, 2);
const errorRow = (label, setting, error, width) => [label, setting, `FAILED: ${error}`, ...Array(width - 3).fill('')];
/** "3000", or "1,234 of 3000 (time cap)" when the system was still busy when the time ran out. */
const jobsCell = (point) => (point.capped ? `${point.completed} of ${point.jobs} (time cap)` : String(point.jobs));

/** The target table: every ratio and absolute target with its verdict (MET / MISSED / NOT MEASURED). */
export function renderChecks(rows) {
  return table(
    ['figure', 'longhaul', 'baseline, same run', 'measured', 'target', 'verdict', 'notes'],
    rows.map((row) => [row.figure, row.longhaul, row.baseline, row.shown, row.target, row.verdict, row.note]),
  );
}

/** End to end: every longhaul and pg-boss sweep point, BullMQ; the best of each sweep marked ★. */
export function renderEndToEnd(e2e) {
  const lines = [];
  const s = e2e.settings;
  const lhBest = bestOf(e2e.longhaul?.sweep);
  const bossBest = bestOf(e2e.pgboss?.sweep);
  const latency = (l) => (l ? [num(l.client.p50), num(l.client.p99), num(l.table.p50), num(l.table.p99)] : ['—', '—', '—', '—']);
  const rows = [];
  for (const point of e2e.longhaul?.sweep ?? []) {
    const setting = `${longhaulLabel(point)}${star(point, lhBest)}`;
    if (!point.ok) rows.push(errorRow('longhaul', setting, point.error, 11));
    else
      rows.push([
        'longhaul (HTTP → outbox → Kafka → worker)',
        setting,
        jobsCell(point),
        secs(point.elapsedMs),
        num(point.rate),
        ...latency(point.latency),
        `${num(point.rss.maxMiB, 0)} / ${num(point.rss.p50MiB, 0)}`,
        num(point.cpuMicrosPerJob, 0),
      ]);
  }
  for (const point of e2e.pgboss?.sweep ?? []) {
    const setting = `${pgbossLabel(point)}${star(point, bossBest)}`;
    if (!point.ok) rows.push(errorRow('pg-boss', setting, point.error, 11));
    else {
      const jobs = jobsCell(point);
      const isLatencyPoint = e2e.pgboss.latency?.ok && pgbossLabel(e2e.pgboss.latency) === pgbossLabel(point);
      rows.push(['pg-boss (send → work())', setting, jobs, secs(point.elapsedMs), num(point.rate), ...latency(isLatencyPoint ? e2e.pgboss.latency.latency : null), '', '']);
    }
  }
  if (e2e.bullmq) {
    const b = e2e.bullmq;
    if (!b.ok) rows.push(errorRow('BullMQ', `concurrency ${s.bullConcurrency}`, b.error, 11));
    else rows.push(['BullMQ (Queue.add → Worker)', `concurrency ${b.settings.concurrency}`, jobsCell(b), secs(b.elapsedMs), num(b.rate), ...latency(b.latency), '', '']);
  }
  lines.push(
    `End to end: ${s.jobs} no-op jobs submitted at ${s.httpConcurrency} concurrent (longhaul over HTTP, peers through their client), ` +
      `timed until all completed or ${s.maxSeconds} s passed (then the rate is what completed: "time cap"); ` +
      `latency: ${s.latencyJobs} jobs submitted one at a time, at low load, before the throughput phase.`,
    '',
    table(
      ['system', 'setting', 'jobs', 'elapsed s', 'jobs/s', 'p50 ms', 'p99 ms', 'p50 ms (queue)', 'p99 ms (queue)', 'RSS max / p50 MiB', 'CPU µs/job'],
      rows,
    ),
    '',
    '★ best of its sweep (the ratio uses it). p50/p99 ms: client send → finished; (queue): the queue\'s own created → finished. ' +
      'RSS: VmRSS of the APP_ROLE=all process from start to stop; CPU: that process\'s CPU time in the throughput phase per completed job. ' +
      `pg-boss latency is measured at its best setting only (${s.pgbossLatencyJobs} jobs, random gap against its ${'0.5'} s poll).`,
  );
  if (lhBest?.latency?.relay) {
    const l = lhBest.latency;
    lines.push(
      '',
      `longhaul latency split (${longhaulLabel(lhBest)}), p50 / p99 ms: created → relay picks it up ${num(l.relay.p50)} / ${num(l.relay.p99)}; ` +
        `→ claimed by a worker ${num(l.dispatch.p50)} / ${num(l.dispatch.p99)}; claimed → finished ${num(l.run.p50)} / ${num(l.run.p99)}.`,
    );
  }
  return lines.join('\n');
}

export function renderHop(e2e) {
  const rows = [];
  const raw = e2e.raw;
  const hop = e2e.hop;
  if (raw) rows.push(raw.ok ? ['raw kafkajs loop (eachMessage no-op)', raw.jobs, num(raw.spanMs / 1000, 3), num(raw.rate), '—'] : ['raw kafkajs loop', `FAILED: ${raw.error}`, '', '', '']);
  if (hop) {
    rows.push(
      hop.ok
        ? [`longhaul worker (claim + run + complete; WORKER_CONCURRENCY ${hop.settings.WORKER_CONCURRENCY})`, jobsCell(hop), num(hop.spanMs / 1000, 3), num(hop.rate), num(hop.drainWallMs / 1000, 2)]
        : ['longhaul worker hop', `FAILED: ${hop.error}`, '', '', ''],
    );
  }
  return [
    `Worker hop: drain a backlog already on a ${e2e.settings.partitions}-partition topic; rate over the first → last message (longhaul: first claim → last completion).`,
    '',
    table(['consumer', 'messages', 'span s', 'msg/s', 'wall incl. start s'], rows),
  ].join('\n');
}

export function renderScale(e2e) {
  const scale = e2e.scale;
  if (!scale) return '';
  if (!scale.ok) return `Worker processes: FAILED: ${scale.error}`;
  const one = scale.points.find((point) => point.ok && point.workers === 1);
  return [
    `Worker processes (a fresh deployment per point: one APP_ROLE=api process in front, WORKER_CONCURRENCY ${scale.settings.WORKER_CONCURRENCY} per worker):`,
    '',
    table(
      ['worker processes', 'jobs', 'jobs/s', 'elapsed s', '÷ one worker'],
      scale.points.map((point) =>
        point.ok
          ? [point.workers, jobsCell(point), num(point.rate), secs(point.elapsedMs), one ? `${num(point.rate / one.rate, 2)}×` : '—']
          : [point.workers, `FAILED: ${point.error}`, '', '', ''],
      ),
    ),
  ].join('\n');
}

export function renderApi(api) {
  const rows = [];
  for (const [key, label, bare] of [['post', 'POST /jobs', 'bare Fastify + INSERT'], ['get', 'GET /jobs/{id}', 'bare Fastify + SELECT']]) {
    const pair = api[key];
    if (!pair) continue;
    rows.push([label, num(pair.app.rate, 0), num(pair.app.cpuMicrosPerRequest, 0), bare, num(pair.bare.rate, 0), num(pair.bare.cpuMicrosPerRequest, 0), `${num(pair.ratio, 2)}×`, pair.rounds.map((r) => num(r, 2)).join(' ')]);
  }
  const s = api.settings;
  return [
    `Job API: ${s.concurrency} concurrent requests, ${s.rounds} rounds × ${s.seconds} s (after ${s.warmupSeconds} s warm-up), app role ${s.appRole}, same PostgreSQL, pool ${s.poolSize} on both sides.`,
    '',
    table(['request', 'app req/s', 'app µs CPU/req', 'baseline', 'baseline req/s', 'baseline µs CPU/req', 'ratio (median)', 'per round'], rows),
    api.failedRequests > 0 ? `\n${api.failedRequests} requests failed (not counted).` : '',
  ].join('\n');
}

export function renderWebhooks(webhooks) {
  const s = webhooks.settings;
  return [
    `Webhooks: ${s.n} signed deliveries per measurement to a bare Fastify sink, ${s.concurrency} concurrent on both sides, ${s.rounds} rounds.`,
    '',
    table(
      ['delivery queue', 'app deliveries/s', 'app µs CPU each', 'raw undici req/s', 'raw µs CPU each', 'ratio (median)', 'per round'],
      webhooks.profiles.map((p) =>
        p.skipped
          ? [p.name, `not measured: ${p.skipped}`, '', '', '', '', '']
          : [p.name, num(p.appRate, 0), num(p.appCpuMicros, 0), num(p.rawRate, 0), num(p.rawCpuMicros, 0), `${num(p.ratio, 2)}×`, p.rounds.map((r) => num(r, 2)).join(' ')],
      ),
    ),
  ].join('\n');
}

export function renderSse(sse) {
  const s = sse.settings;
  return [
    `SSE: ${s.clients} clients on one APP_ROLE=api process over ${s.jobs} jobs, ${s.rounds} rounds × ${s.seconds} s; flood ${s.floodRate}/s/job, latency phase ${s.latencyRate}/s/job.`,
    '',
    table(
      ['figure', 'app', 'bare relay', 'ratio (median)'],
      [
        ['events/s under flood', num(sse.throughput.app, 0), num(sse.throughput.relay, 0), `${num(sse.throughput.ratio, 2)}×`],
        ['latency p50 ms', num(sse.latency.app.p50), num(sse.latency.relay.p50), ''],
        ['latency p99 ms', num(sse.latency.app.p99), num(sse.latency.relay.p99), `${num(sse.latency.p99Ratio, 2)}×`],
        ['p99 ms under flood', num(sse.floodP99.app, 0), num(sse.floodP99.relay, 0), ''],
        ['memory per connection KiB', num(sse.memoryPerConnectionKiB.app), num(sse.memoryPerConnectionKiB.relay), ''],
      ],
    ),
  ].join('\n');
}

/** Every system's settings, so a reader can reproduce each figure. */
export function renderSettings(doc) {
  const lines = [];
  const e2e = doc.suites.e2e?.result;
  if (e2e) {
    const s = e2e.settings;
    for (const point of e2e.longhaul?.sweep ?? []) lines.push(`- longhaul end to end, ${longhaulLabel(point)}: ${settingText(point.settings)} (everything else at its default; APP_ROLE=all, distributed profile)`);
    if (e2e.hop?.settings) lines.push(`- longhaul worker hop: ${settingText(e2e.hop.settings)} (APP_ROLE=api publishes, then one APP_ROLE=worker drains)`);
    if (e2e.scale?.settings) lines.push(`- longhaul worker processes: ${settingText(e2e.scale.settings)}; counts ${s.scaleWorkers.join(', ')}`);
    for (const point of e2e.pgboss?.sweep ?? []) {
      lines.push(`- pg-boss ${doc.packages?.['pg-boss'] ?? ''} ${pgbossLabel(point)}: ${point.setting.workers} work() loops × batchSize ${point.setting.batch}, pollingIntervalSeconds ${point.setting.pollSeconds}, ${point.setting.producer}`);
    }
    if (e2e.bullmq?.settings) lines.push(`- BullMQ ${doc.packages?.bullmq ?? ''}: one Worker with concurrency ${e2e.bullmq.settings.concurrency}; ${e2e.bullmq.settings.producer}`);
    if (e2e.raw?.settings) lines.push(`- raw kafkajs ${doc.packages?.kafkajs ?? ''}: ${settingText(e2e.raw.settings)}, eachMessage no-op, ${s.rawMessages} messages`);
    lines.push(
      `- end to end plan (every system): ${s.jobs} jobs per measurement, at most ${s.maxSeconds} s each, ${s.httpConcurrency} concurrent submits, ` +
        `${s.warmupJobs} warm-up jobs, ${s.latencyJobs} latency jobs, ${s.partitions} partitions${s.nodeArgs.length ? `; longhaul under node ${s.nodeArgs.join(' ')}` : ''}`,
    );
  }
  const api = doc.suites.api?.result;
  if (api) lines.push(`- job API: ${settingText(api.settings)}`);
  const webhooks = doc.suites.webhooks?.result;
  if (webhooks) lines.push(`- webhooks: ${settingText(webhooks.settings)}`);
  const sse = doc.suites.sse?.result;
  if (sse) lines.push(`- SSE: ${settingText(sse.settings)}`);
  return lines.join('\n');
}

export function renderMachine(doc) {
  const m = doc.machine;
  const v = doc.services;
  const p = doc.packages;
  const load = (l) => (l ? l.map((x) => x.toFixed(2)).join(' ') : '—');
  return [
    `- when: ${doc.startedAt} (${num(doc.durationSeconds / 60, 1)} min), run ${doc.runId}, commit ${doc.git?.commit ?? '—'}${doc.git?.dirty ? ' (uncommitted changes)' : ''}${doc.options?.quick ? ', **quick mode (small counts: a smoke test, not a measurement)**' : ''}`,
    `- machine: ${m.cpus} × ${m.cpuModel}, ${num(m.memoryMiB / 1024, 1)} GiB, ${m.os}; load average (1/5/15 min) ${load(m.loadAverage.before)} before, ${load(m.loadAverage.after)} after`,
    `- Node ${m.node}; PostgreSQL ${v.postgresql}, Kafka ${v.kafka}, Redis ${v.redis}, all on 127.0.0.1, shared by every system`,
    `- packages: ${Object.entries(p).map(([name, version]) => `${name} ${version}`).join(', ')}`,
  ].join('\n');
}

export function renderSuites(doc) {
  const load = (l) => (l ? l[0].toFixed(2) : '—');
  return table(
    ['suite', 'status', 'seconds', 'load avg before → after', 'error'],
    Object.entries(doc.suites).map(([name, suite]) => [name, suite.status, num(suite.seconds, 0), `${load(suite.loadAverage?.before)} → ${load(suite.loadAverage?.after)}`, suite.error ?? '']),
  );
}

/** bench/results/latest.md and the console summary. */
export function renderDocument(doc) {
  const checks = computeChecks(doc.suites); // from the raw figures, against the current targets
  const out = [`# longhaul benchmarks`, '', renderMachine(doc), '', '## Targets (issue 12; SSE: issue 4)', '', renderChecks(checks), ''];
  const e2e = doc.suites.e2e?.result;
  if (e2e) {
    if (e2e.partial) out.push(`_The e2e suite stopped early (${doc.suites.e2e.status}): what it measured before is below._`, '');
    out.push('## End to end', '', renderEndToEnd(e2e), '', '## Worker hop', '', renderHop(e2e), '');
    if (e2e.scale) out.push('## Worker processes', '', renderScale(e2e), '');
  }
  if (doc.suites.api?.result) out.push('## Job API', '', renderApi(doc.suites.api.result), '');
  if (doc.suites.webhooks?.result) out.push('## Webhooks', '', renderWebhooks(doc.suites.webhooks.result), '');
  if (doc.suites.sse?.result) out.push('## SSE', '', renderSse(doc.suites.sse.result), '');
  out.push('## Settings', '', renderSettings(doc) || '—', '', '## Suites', '', renderSuites(doc), '');
  if (doc.cleanup) out.push(`Left behind by the suites and removed by the final sweep: ${doc.cleanup.summary}.`, '');
  return out.join('\n');
}

/** The README's performance section (between the bench markers): the targets, the sweeps in one line each, scaling, settings. */
export function renderReadmeSection(doc) {
  const checks = computeChecks(doc.suites); // from the raw figures, against the current targets
  const out = [
    `_Generated by \`npm run bench:readme\` from [\`bench/results/latest.json\`](bench/results/latest.json), written by \`npm run bench\`; ` +
      'every sweep point, latency split and per-round ratio is in [`bench/results/latest.md`](bench/results/latest.md). ' +
      'Each ratio is measured side by side in the same run, on the same PostgreSQL, Redis and Kafka; peers at their best measured settings._',
    '',
    renderMachine(doc),
    '',
    renderChecks(checks),
  ];
  const e2e = doc.suites.e2e?.result;
  if (e2e) {
    const sweep = (points, label) =>
      (points ?? []).map((point) => `${label(point)}: ${point.ok ? `${num(point.rate)}${point.capped ? ' (time cap)' : ''}` : 'FAILED'}`).join('; ');
    // (jobs/s of every sweep point; ★ and the full table are in latest.md)
    out.push('');
    if (e2e.longhaul) out.push(`- longhaul end to end, jobs/s by setting: ${sweep(e2e.longhaul.sweep, longhaulLabel)}`);
    if (e2e.pgboss) out.push(`- pg-boss end to end, jobs/s by work() loops × batch size: ${sweep(e2e.pgboss.sweep, pgbossLabel)}`);
    if (e2e.scale) out.push('', renderScale(e2e));
  }
  out.push('', '<details><summary>Settings of every system</summary>', '', renderSettings(doc), '', '</details>');
  return out.join('\n');
}
