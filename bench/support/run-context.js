// What every benchmark reads from its environment: the infrastructure's addresses, the run's name prefix,
// integer and list knobs, the watchdog, and where to write its machine-readable result.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The services of `npm run infra:up`, all on 127.0.0.1 unless the environment says otherwise. */
export function infraFromEnv() {
  return {
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  };
}

/** A fresh run id: "lhb" + time + 6 random hex digits, fixed length, a valid lower-case SQL identifier. */
export function newRunId() {
  return `lhb${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * The prefix of every name (schema, topic, group, Redis key, temporary directory) a bench creates:
 * `<run id>_<tag>`. Under `npm run bench` the run id is the harness's (BENCH_RUN_ID), so its final sweep
 * finds whatever a suite left behind; run alone, a bench makes its own.
 */
export function suitePrefix(tag) {
  const runId = process.env.BENCH_RUN_ID || newRunId();
  if (!/^[a-z][a-z0-9]{2,30}$/.test(runId)) throw new Error('BENCH_RUN_ID must be a short lower-case identifier');
  return `${runId}_${tag}`;
}

/** A temporary directory whose name starts with the prefix (so the harness's sweep can find it). */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

export function intEnv(name, fallback, { min = 1 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return value;
}

/** A comma-separated list knob. */
export function listEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The bench's own watchdog: BENCH_WATCHDOG_SECONDS (set by `npm run bench`) or the bench's default. */
export function watchdogMs(defaultMs) {
  return intEnv('BENCH_WATCHDOG_SECONDS', Math.round(defaultMs / 1000)) * 1000;
}

/** Writes the bench's result for `npm run bench` (BENCH_RESULT_FILE); a no-op when run alone. */
export function writeResult(result) {
  const file = process.env.BENCH_RESULT_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

export function logger(name) {
  return (message) => process.stderr.write(`[${name} ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

export function redactUrl(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
