// The targets of issue 12 (and issue 4's SSE targets), and how each is judged from the suites' results.
// One place for every target: the harness, the README section and the single benches print from here.
import { num } from './format.js';

export const TARGETS = {
  e2eVsPgBoss: { op: '≥', value: 2.0, unit: '×' },
  e2eVsBullMq: { op: '≥', value: 0.5, unit: '×' },
  hopVsRaw: { op: '≥', value: 0.2, unit: '×' },
  postVsBare: { op: '≥', value: 0.7, unit: '×' },
  getVsBare: { op: '≥', value: 0.85, unit: '×' },
  webhooksVsRaw: { op: '≥', value: 0.5, unit: '×' },
  latencyP50Ms: { op: '≤', value: 15, unit: ' ms' },
  latencyP99Ms: { op: '≤', value: 60, unit: ' ms' },
  rssMaxMiB: { op: '≤', value: 300, unit: ' MiB' },
  sseThroughput: { op: '≥', value: 0.5, unit: '×' },
  sseP99: { op: '≤', value: 2.0, unit: '×' },
};

export const targetText = (target) => `${target.op} ${target.unit === '×' ? target.value.toFixed(2) : target.value}${target.unit}`;

export const verdictOf = (target, value) => {
  if (!Number.isFinite(value)) return 'NOT MEASURED';
  return (target.op === '≥' ? value >= target.value : value <= target.value) ? 'MET' : 'MISSED';
};

/** The best point of a sweep ({ok, rate}), or null. */
export function bestOf(sweep) {
  const measured = (sweep ?? []).filter((point) => point.ok && Number.isFinite(point.rate) && point.rate > 0);
  return measured.reduce((best, point) => (best && best.rate >= point.rate ? best : point), null);
}

const settingText = (settings) =>
  Object.entries(settings ?? {})
    .filter(([, value]) => value !== '' && value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`)
    .join(' ');

export const longhaulLabel = (point) => `WORKER_CONCURRENCY ${point.settings.WORKER_CONCURRENCY}`;
export const pgbossLabel = (point) => `${point.setting.workers}×${point.setting.batch}`;

/** Why a value is missing: the phase's error, the suite's status, or "not selected". */
function missing(suite, ...phases) {
  if (!suite) return 'suite not selected in this run';
  for (const phase of phases) if (phase && phase.ok === false) return phase.error;
  if (suite.status !== 'ok') return `suite ${suite.status}${suite.error ? `: ${suite.error}` : ''}`;
  return 'not measured';
}

/** A suite's result, also from a suite that stopped early (what it measured before is still measured). */
const resultOf = (suite) => suite?.result ?? null;

/**
 * Every target row: {id, suite, figure, longhaul, baseline, value, shown, target, verdict, note}. A value
 * that could not be measured is NOT MEASURED with the reason in `note`: never dropped, never MET.
 */
export function computeChecks(suites) {
  const rows = [];
  const add = (id, suite, figure, target, value, shown, longhaul, baseline, note = '') => {
    rows.push({
      id,
      suite,
      figure,
      longhaul,
      baseline,
      value: Number.isFinite(value) ? value : null,
      shown: Number.isFinite(value) ? shown(value) : '—',
      target: targetText(target),
      verdict: verdictOf(target, value),
      note,
    });
  };
  const ratio = (v) => `${num(v, 2)}×`;

  // ---- end to end, worker hop, latency, memory (suite e2e)
  const e2eSuite = suites.e2e;
  const e2e = resultOf(e2eSuite);
  const lh = bestOf(e2e?.longhaul?.sweep);
  const boss = bestOf(e2e?.pgboss?.sweep);
  const bull = e2e?.bullmq?.ok ? e2e.bullmq : null;
  // Throughput counts longhaul's best deployment, as pg-boss's does (its workers run in their own process):
  // one APP_ROLE=all process at each WORKER_CONCURRENCY, or an API process with 1–3 worker processes.
  const deployments = (e2e?.scale?.points ?? []).map((point) => ({
    ...point,
    deployment: `APP_ROLE=api + ${point.workers} APP_ROLE=worker, WORKER_CONCURRENCY ${e2e.scale.settings?.WORKER_CONCURRENCY}`,
  }));
  const fastest = bestOf([...(e2e?.longhaul?.sweep ?? []), ...deployments]);
  const lhText = fastest ? `${num(fastest.rate)} jobs/s (${fastest.deployment ?? longhaulLabel(fastest)})` : '—';
  add(
    'e2e-vs-pgboss',
    'e2e',
    'end to end, no-op jobs/s at longhaul\'s best measured deployment ÷ pg-boss at its best measured setting',
    TARGETS.e2eVsPgBoss,
    fastest && boss ? fastest.rate / boss.rate : NaN,
    ratio,
    lhText,
    boss ? `pg-boss ${pgbossLabel(boss)}: ${num(boss.rate)} jobs/s` : '—',
    fastest && boss ? '' : missing(e2eSuite, fastest ? null : sweepFailure(e2e?.longhaul?.sweep), boss ? null : sweepFailure(e2e?.pgboss?.sweep)),
  );
  add(
    'e2e-vs-bullmq',
    'e2e',
    `end to end ÷ BullMQ (concurrency ${bull?.settings?.concurrency ?? e2e?.settings?.bullConcurrency ?? 100}, same Redis)`,
    TARGETS.e2eVsBullMq,
    fastest && bull ? fastest.rate / bull.rate : NaN,
    ratio,
    lhText,
    bull ? `BullMQ: ${num(bull.rate)} jobs/s` : '—',
    fastest && bull ? '' : missing(e2eSuite, e2e?.bullmq),
  );
  const hop = e2e?.hop?.ok ? e2e.hop : null;
  const raw = e2e?.raw?.ok ? e2e.raw : null;
  add(
    'hop-vs-raw',
    'e2e',
    'worker hop (backlog on the topic → claimed and completed) ÷ raw kafkajs consume loop',
    TARGETS.hopVsRaw,
    hop && raw ? hop.rate / raw.rate : NaN,
    (v) => `${num(v, 3)}×`,
    hop ? `${num(hop.rate)} jobs/s (WORKER_CONCURRENCY ${hop.settings.WORKER_CONCURRENCY})` : '—',
    raw ? `raw kafkajs: ${num(raw.rate)} msg/s` : '—',
    hop && raw ? '' : missing(e2eSuite, e2e?.hop, e2e?.raw),
  );
  const ms = (v) => `${num(v)} ms`;
  const latencyNote = 'client send → finished_at, jobs one at a time';
  add('latency-p50', 'e2e', 'submit → complete latency at low load, p50', TARGETS.latencyP50Ms, lh?.latency?.client?.p50 ?? NaN, ms,
    lh ? `${num(lh.latency.client.p50)} ms (${longhaulLabel(lh)})` : '—', '', lh ? latencyNote : missing(e2eSuite));
  add('latency-p99', 'e2e', 'submit → complete latency at low load, p99', TARGETS.latencyP99Ms, lh?.latency?.client?.p99 ?? NaN, ms,
    lh ? `${num(lh.latency.client.p99)} ms (${longhaulLabel(lh)})` : '—', '', lh ? latencyNote : missing(e2eSuite));
  add('rss-max', 'e2e', 'RSS of one APP_ROLE=all process during the end-to-end bench, max', TARGETS.rssMaxMiB, lh?.rss?.maxMiB ?? NaN,
    (v) => `${num(v)} MiB`, lh ? `max ${num(lh.rss.maxMiB)} MiB, p50 ${num(lh.rss.p50MiB)} MiB (${longhaulLabel(lh)})` : '—', '',
    lh ? `VmRSS every ${lh.rss.intervalMs} ms, ${lh.rss.samples} samples` : missing(e2eSuite));

  // ---- job API (suite api)
  const api = resultOf(suites.api);
  for (const [key, id, figure, target, bareName] of [
    ['post', 'post-vs-bare', 'POST /jobs ÷ bare Fastify + one INSERT', TARGETS.postVsBare, 'bare INSERT'],
    ['get', 'get-vs-bare', 'GET /jobs/{id} ÷ bare Fastify + one SELECT', TARGETS.getVsBare, 'bare SELECT'],
  ]) {
    const pair = api?.[key];
    add(
      id,
      'api',
      figure,
      target,
      pair?.ratio ?? NaN,
      ratio,
      pair ? `${num(pair.app.rate, 0)} req/s, ${num(pair.app.cpuMicrosPerRequest, 0)} µs CPU/req` : '—',
      pair ? `${bareName}: ${num(pair.bare.rate, 0)} req/s, ${num(pair.bare.cpuMicrosPerRequest, 0)} µs CPU/req` : '—',
      pair ? `median of per-round ratios [${pair.rounds.map((r) => num(r, 2)).join(' ')}]` : missing(suites.api),
    );
  }

  // ---- webhooks (suite webhooks): one row per delivery queue profile
  const webhooks = resultOf(suites.webhooks);
  const profiles = webhooks?.profiles ?? [{ name: 'table (embedded profile)' }, { name: 'Bull (Redis)' }];
  for (const profile of profiles) {
    add(
      `webhooks-${profile.name.startsWith('Bull') ? 'bull' : 'table'}-vs-raw`,
      'webhooks',
      `signed webhook deliveries/s, ${profile.name} queue ÷ raw undici signed POST loop`,
      TARGETS.webhooksVsRaw,
      profile.ratio ?? NaN,
      ratio,
      Number.isFinite(profile.appRate) ? `${num(profile.appRate, 0)} deliveries/s` : '—',
      Number.isFinite(profile.rawRate) ? `raw undici: ${num(profile.rawRate, 0)} req/s` : '—',
      Number.isFinite(profile.ratio) ? `median of per-round ratios [${profile.rounds.map((r) => num(r, 2)).join(' ')}]` : (profile.skipped ?? missing(suites.webhooks)),
    );
  }

  // ---- SSE (suite sse)
  const sse = resultOf(suites.sse);
  add('sse-throughput', 'sse', 'SSE fan-out events/s ÷ bare node:http relay (issue 4)', TARGETS.sseThroughput, sse?.throughput?.ratio ?? NaN, ratio,
    sse ? `${num(sse.throughput.app, 0)} events/s` : '—', sse ? `relay: ${num(sse.throughput.relay, 0)} events/s` : '—',
    sse ? `${sse.settings.clients} clients; rounds [${sse.throughput.rounds.map((r) => num(r, 2)).join(' ')}]` : missing(suites.sse));
  add('sse-p99', 'sse', 'SSE event latency p99 ÷ relay p99 (issue 4)', TARGETS.sseP99, sse?.latency?.p99Ratio ?? NaN, ratio,
    sse ? `p99 ${num(sse.latency.app.p99)} ms` : '—', sse ? `relay: p99 ${num(sse.latency.relay.p99)} ms` : '—',
    sse ? `rounds [${sse.latency.rounds.map((r) => num(r, 2)).join(' ')}]` : missing(suites.sse));
  return rows;
}

/** A sweep with no measured point, as a failed phase (its first error), or null if it did not run. */
function sweepFailure(sweep) {
  if (!sweep?.length) return null;
  return { ok: false, error: sweep.find((point) => !point.ok)?.error ?? 'no point measured' };
}

export { settingText };
