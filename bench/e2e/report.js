const num = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

function table(headers, rows) {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The printed result: absolute figures, then each target with its measured value and verdict. */
export function renderReport(results, settings) {
  const { longhaul, hop, raw, bull, boss, bossTuned } = results;
  const latencyCells = (latency) =>
    latency ? [num(latency.table.p50), num(latency.table.p99), num(latency.client.p50), num(latency.client.p99)] : ['—', '—', '—', '—'];
  const throughputRows = [
    ['longhaul (HTTP → outbox → Kafka → worker)', longhaul.jobs, num(longhaul.elapsedMs / 1000, 2), num(longhaul.rate), ...latencyCells(longhaul.latency)],
    [`pg-boss 10 (${settings.pgbossEquivalent})`, boss.jobs, num(boss.elapsedMs / 1000, 2), num(boss.rate), ...latencyCells(boss.latency)],
    ...(bossTuned
      ? [[`pg-boss 10 (${settings.pgbossTuned}, info only)`, bossTuned.jobs, num(bossTuned.elapsedMs / 1000, 2), num(bossTuned.rate), ...latencyCells(null)]]
      : []),
    [`BullMQ 5 (concurrency ${settings.workerConcurrency})`, bull.jobs, num(bull.elapsedMs / 1000, 2), num(bull.rate), ...latencyCells(bull.latency)],
  ];
  const hopRows = [
    ['raw kafkajs loop (eachMessage no-op)', raw.jobs, num(raw.spanMs / 1000, 3), num(raw.rate), '—'],
    ['longhaul worker hop (claim + run + complete)', hop.jobs, num(hop.spanMs / 1000, 3), num(hop.rate), num(hop.drainWallMs / 1000, 2)],
  ];

  const checks = [
    ['throughput longhaul ÷ pg-boss', longhaul.rate / boss.rate, '≥ 2.0×', (v) => v >= 2.0, (v) => `${num(v, 2)}×`],
    ['throughput longhaul ÷ BullMQ', longhaul.rate / bull.rate, '≥ 0.5×', (v) => v >= 0.5, (v) => `${num(v, 2)}×`],
    ['worker hop ÷ raw kafkajs loop', hop.rate / raw.rate, '≥ 0.70×', (v) => v >= 0.7, (v) => `${num(v, 3)}×`],
    ['longhaul latency p50 (created_at → finished_at)', longhaul.latency.table.p50, '≤ 15 ms', (v) => v <= 15, (v) => `${num(v)} ms`],
    ['longhaul latency p99 (created_at → finished_at)', longhaul.latency.table.p99, '≤ 60 ms', (v) => v <= 60, (v) => `${num(v)} ms`],
  ].map(([name, value, target, met, show]) => [name, show(value), target, met(value) ? 'met' : 'MISSED']);

  return [
    '',
    `longhaul e2e benchmark — ${settings.when}, ${settings.cpus} CPU, Node ${process.versions.node}`,
    `settings: ${settings.summary}`,
    '',
    'Throughput (submit N no-op jobs, time until all completed) and latency (jobs submitted one at a time):',
    table(['system', 'jobs', 'elapsed s', 'jobs/s', 'p50 ms', 'p99 ms', 'p50 send→done', 'p99 send→done'], throughputRows),
    '  p50/p99 ms: the queue\'s own created → finished timestamps; send→done: client send time → finished (same host clock).',
    `  longhaul latency split, p50 / p99 ms: created → relay picks it up ${num(longhaul.latency.relay.p50)} / ${num(longhaul.latency.relay.p99)}; ` +
      `→ claimed by a worker ${num(longhaul.latency.dispatch.p50)} / ${num(longhaul.latency.dispatch.p99)}; ` +
      `claimed → finished ${num(longhaul.latency.run.p50)} / ${num(longhaul.latency.run.p99)}.`,
    '',
    'Worker hop (drain a backlog already on a 6-partition topic; rate over first → last message):',
    table(['consumer', 'messages', 'span s', 'msg/s', 'wall incl. start s'], hopRows),
    '',
    table(['target', 'measured', 'target', 'verdict'], checks),
    '',
  ].join('\n');
}
