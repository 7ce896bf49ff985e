import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import createClient from 'openapi-fetch';
import type { paths } from '../clients/typescript/src/schema.js';
import { startApp, type AppProcess } from './support/app-process.js';
import { removeDataDir, scratchDataDir } from './support/jobs.js';

const run = promisify(execFile);
const GENERATED = resolve('test/contract/generated-clients');

/**
 * Clients generated from docs/openapi.json poll a job to completion and fetch its result with generated
 * methods only, against a real app: OpenAPI Generator's typescript-fetch and java (Maven plugin 7.25.0;
 * both compile in beforeAll, or the suite fails), and openapi-typescript + openapi-fetch.
 */
describe('generated clients against a real app', () => {
  let app: AppProcess;
  let dataDir: string;
  let classpath: string;

  beforeAll(async () => {
    const generated = await run('bash', ['scripts/contract/generated-clients.sh'], { maxBuffer: 16 * 1024 * 1024 });
    classpath = readFileSync(generated.stdout.trim(), 'utf8').trim();
    dataDir = scratchDataDir('generated-clients');
    app = await startApp({ DATA_DIR: dataDir, DAILY_REPORT_ENABLED: 'false' });
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('OpenAPI Generator typescript-fetch: submit, poll getJobStatus, getJobResult; a typed report', async () => {
    const { stdout } = await run(process.execPath, [resolve(GENERATED, 'target/typescript-fetch-out/typescript/poll-job.js'), app.baseUrl]);
    const out = JSON.parse(stdout);
    expect(out.status).toMatchObject({ status: 'COMPLETED', resultUrl: `/jobs/${out.accepted.jobId}/result` });
    expect(out.result).toEqual({ from: 'typescript-fetch' });
    expect(out.reportStatus.status).toBe('COMPLETED');
    expect(out.groupBy).toBe('type');
    expect(out.reportTotals.total).toBeGreaterThan(0);
  });

  it('OpenAPI Generator java (native): submit, poll getJobStatus, getJobResult; a typed report', async () => {
    const { stdout } = await run('java', ['-cp', `${resolve(GENERATED, 'target/classes')}:${classpath}`, 'dev.longhaul.contract.PollJob', app.baseUrl]);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ status: 'COMPLETED', resultUrl: `/jobs/${out.jobId}/result`, result: { from: 'java' }, reportStatus: 'COMPLETED', groupBy: 'type' });
    expect(out.reportTotal).toBeGreaterThan(0);
  });

  it('openapi-typescript + openapi-fetch: the same, typed by the generated paths', async () => {
    const client = createClient<paths>({ baseUrl: app.baseUrl });
    const accepted = await client.POST('/jobs', { body: { type: 'sleep', payload: { ms: 300, steps: 3, result: { from: 'openapi-fetch' } } } });
    expect(accepted.response.status).toBe(202);
    const id = accepted.data!.jobId;
    let status = (await client.GET('/jobs/{id}/status', { params: { path: { id } } })).data!;
    while (!['COMPLETED', 'DEAD', 'CANCELLED'].includes(status.status)) {
      await new Promise((resolveTimer) => setTimeout(resolveTimer, 100));
      status = (await client.GET('/jobs/{id}/status', { params: { path: { id } } })).data!;
    }
    expect(status).toMatchObject({ status: 'COMPLETED', resultUrl: `/jobs/${id}/result` });
    const result = await client.GET('/jobs/{id}/result', { params: { path: { id } } });
    expect(result.data).toEqual({ from: 'openapi-fetch' });
  });
});
