import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startApp, type AppProcess } from './support/app-process.js';
import { dropSchema, EXTERNAL_DATABASE_URL, freshSchemaName, withDatabase } from './support/external-db.js';
import { http, waitForStatus } from './support/http.js';
import { expectProblem, removeDataDir, scratchDataDir, submit, submitted } from './support/jobs.js';

interface Exit {
  code: number | null;
  output: string;
  ms: number;
}

/** Runs `node dist/main.js` with exactly this environment and waits for it to exit. */
function runMain(env: Record<string, string>, timeoutMs = 20_000): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [resolve('dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dist/main.js did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveExit({ code, output, ms: Date.now() - started });
    });
  });
}

describe('startup', () => {
  it('refuses an invalid configuration with a non-zero exit and a message naming each variable', async () => {
    const exit = await runMain({ PORT: 'abc', WORKER_CONCURRENCY: '0', SLEEP_JOB_ENABLED: 'perhaps' });
    expect(exit.code).toBe(1);
    expect(exit.output).toContain('Invalid configuration');
    expect(exit.output).toContain('PORT must be an integer from 0 to 65535 (got "abc")');
    expect(exit.output).toContain('WORKER_CONCURRENCY must be an integer');
    expect(exit.output).toContain('SLEEP_JOB_ENABLED must be true or false');
    // Refused before touching anything: no database was started, no stack trace printed.
    expect(exit.output).not.toMatch(/embedded postgres|\n\s+at /);
  });

  it('refuses the distributed profile without its database and Redis', async () => {
    const exit = await runMain({ KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(exit.code).toBe(1);
    expect(exit.output).toMatch(/KAFKA_BROKERS.*DATABASE_URL and REDIS_URL/);
  });
});

describe('on an external PostgreSQL (DATABASE_URL + a fresh DATABASE_SCHEMA)', () => {
  const schema = freshSchemaName('startup');
  let app: AppProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = scratchDataDir('external');
    app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: EXTERNAL_DATABASE_URL, DATABASE_SCHEMA: schema });
  });

  afterAll(async () => {
    await app?.stop();
    await dropSchema(schema);
    removeDataDir(dataDir);
  });

  it('migrates its own schema and runs a job end to end', async () => {
    expect(app!.logs()).not.toContain('embedded postgres');
    const jobId = await submitted(app!.baseUrl, { type: 'sleep', payload: { ms: 50, steps: 2, result: { schema } } });
    await waitForStatus(app!.baseUrl, jobId, ['COMPLETED']);
    expect((await http(app!.baseUrl, `/jobs/${jobId}`)).status).toBe(303);
    const result = await http(app!.baseUrl, `/jobs/${jobId}/result`);
    expect(result).toMatchObject({ status: 200, body: { schema } });

    const rows = await withDatabase((client) => client.query(`SELECT status, attempts FROM "${schema}".jobs WHERE id = $1`, [jobId]));
    expect(rows.rows).toEqual([{ status: 'COMPLETED', attempts: 1 }]);
    const publicJobs = await withDatabase((client) =>
      client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'jobs'`, [schema]),
    );
    expect(publicJobs.rows[0].n).toBe(1);
  });

  it('answers a 500 as a problem with an error id, never the cause, and logs the id', async () => {
    const jobId = await submitted(app!.baseUrl, { type: 'sleep' });
    await waitForStatus(app!.baseUrl, jobId, ['COMPLETED']);
    // Pull the tables from under the running app: every query now fails inside PostgreSQL.
    await dropSchema(schema);
    const answer = await http(app!.baseUrl, `/jobs/${jobId}`);
    const problem = expectProblem(answer, 500, 'internal');
    expect(problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.detail).toContain(problem.errorId);
    expect(answer.text).not.toMatch(/relation|jobs"|does not exist|SELECT|at \//i);
    expect(app!.logs()).toContain(`"errorId":"${problem.errorId}"`);
  });
});

describe('SLEEP_JOB_ENABLED=false', () => {
  const schema = freshSchemaName('nosleep');
  let app: AppProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = scratchDataDir('nosleep');
    app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: EXTERNAL_DATABASE_URL, DATABASE_SCHEMA: schema, SLEEP_JOB_ENABLED: 'false' });
  });

  afterAll(async () => {
    await app?.stop();
    await dropSchema(schema);
    removeDataDir(dataDir);
  });

  it('leaves the sleep type unregistered: 422 listing only the others', async () => {
    const problem = expectProblem(await submit(app!.baseUrl, { type: 'sleep', payload: {} }), 422, 'unknown-job-type');
    expect(problem.knownTypes).toEqual(['report', 'video.transcode']);
    const report = await http(app!.baseUrl, '/reports', { method: 'POST', json: { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' } });
    expect(report.status).toBe(202);
    await waitForStatus(app!.baseUrl, report.body.jobId, ['COMPLETED']);
  });
});
