import { Logger } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/load-config.js';
import { WorkerPoolModule } from './workers/worker-pool.module.js';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const target = { kind: 'url', url: DATABASE_URL } as never;

function importsFor(role: string): unknown[] {
  return AppModule.forRoot(loadConfig({ APP_ROLE: role, DATABASE_URL }), target).imports ?? [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('module arrows', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('constructs job executors only on nodes that run workers', () => {
    expect(importsFor('api')).not.toContain(WorkerPoolModule);
    expect(importsFor('worker')).toContain(WorkerPoolModule);
  });

  it('keeps src/jobs free of src/workers: jobs know job types, not how they run', () => {
    const jobs = resolve(import.meta.dirname, 'jobs');
    const offenders = sourceFiles(jobs).filter((file) => /from '(\.\.\/)+workers\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
