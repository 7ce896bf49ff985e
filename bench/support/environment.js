// What a result needs to be read later: the machine, the services' versions, the packages' versions, the
// commit. Everything is read locally (the services on 127.0.0.1, /proc, node_modules, git).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type, arch } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import kafkajs from 'kafkajs';
import pg from 'pg';

const { Kafka, logLevel } = kafkajs;

export function describeMachine() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 1048576),
    os: `${type()} ${release()} ${arch()}`,
    node: process.versions.node,
  };
}

export const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);

export function packageVersions(names) {
  const versions = {};
  for (const name of names) {
    try {
      versions[name] = JSON.parse(readFileSync(resolve('node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}

export function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return null;
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects to each service (failing fast with a readable reason) and reads its version. Kafka does not
 * report its release over the protocol: the version is read from the jars of the local broker's classpath
 * (the process listening on the broker's port), else from this checkout's .infra/kafka/libs.
 */
export async function probeServices(infra) {
  const services = {};
  const problems = [];
  try {
    const client = new pg.Client({ connectionString: infra.databaseUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      services.postgresql = (await client.query('SHOW server_version')).rows[0].server_version;
    } finally {
      await client.end();
    }
  } catch (error) {
    problems.push(`PostgreSQL at ${infra.databaseUrl}: ${error.message}`);
  }
  const redis = new Redis(infra.redisUrl, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // the failed connect() reports it
  try {
    await redis.connect();
    services.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch (error) {
    problems.push(`Redis at ${infra.redisUrl}: ${error.message}`);
  } finally {
    redis.disconnect();
  }
  const admin = new Kafka({ clientId: 'longhaul-bench-probe', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  try {
    await withTimeout(admin.connect(), 10_000, 'connect');
    await withTimeout(admin.describeCluster(), 10_000, 'describeCluster');
    services.kafka = kafkaVersion(infra.kafkaBrokers.split(',')[0]);
  } catch (error) {
    problems.push(`Kafka at ${infra.kafkaBrokers}: ${error.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return { services, problems };
}

const KAFKA_JAR = /^(?:kafka-server-|kafka_\d+\.\d+-|kafka-clients-)(\d+\.\d+\.\d+[\w.-]*?)\.jar$/;

function versionFromJars(names) {
  for (const name of names) {
    const match = KAFKA_JAR.exec(name);
    if (match) return match[1];
  }
  return null;
}

function kafkaVersion(broker) {
  const port = broker.split(':').pop();
  try {
    const listening = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = /pid=(\d+)/.exec(listening)?.[1];
    if (pid) {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const classpath = args[args.findIndex((arg) => arg === '-cp' || arg === '-classpath') + 1] ?? '';
      const jars = classpath.split(':').flatMap((entry) => {
        if (entry.endsWith('/*') && existsSync(entry.slice(0, -2))) return readdirSync(entry.slice(0, -2));
        return [entry.split('/').pop()];
      });
      const version = versionFromJars(jars);
      if (version) return version;
    }
  } catch {
    // not Linux, no ss, or another user's process: fall through
  }
  const libs = join('.infra', 'kafka', 'libs');
  const version = existsSync(libs) ? versionFromJars(readdirSync(libs)) : null;
  return version ? `${version} (from ${libs})` : 'unknown';
}
