import { Readable } from 'node:stream';
import { loadConfig } from '../config/load-config.js';
import type { DatabaseResultStore } from './adapters/database-result-store.js';
import type { FilesystemResultStore } from './adapters/filesystem-result-store.js';
import type { S3ResultStore } from './adapters/s3-result-store.js';
import type { ResultRef, ResultStore, ResultToStore, StagedResult } from './result-store.port.js';
import { RoutingResultStore } from './routing-result-store.js';

type StoreName = ResultRef['store'];

/** A store that only says its name: what the router chose is all these tests look at. */
function named(name: StoreName): ResultStore {
  const staged = (): StagedResult => ({ ref: { store: name, contentType: 'x', sizeBytes: 0 }, commit: () => Promise.resolve(), discard: () => Promise.resolve() });
  return {
    stage: () => Promise.resolve(staged()),
    open: () => Promise.resolve({ contentType: name, sizeBytes: 0, stream: Readable.from([]) }),
    remove: () => Promise.resolve(),
    commitAll: () => Promise.resolve(),
  };
}

const DISTRIBUTED = { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://cache' };
const S3 = { S3_BUCKET: 'results' };
const small: ResultToStore = { contentType: 'application/json', body: Buffer.alloc(10) };
const large: ResultToStore = { contentType: 'text/csv', body: Buffer.alloc(300_000) };
const stream = (): ResultToStore => ({ contentType: 'text/csv', body: Readable.from([Buffer.alloc(1)]) });

function router(env: Record<string, string>, withS3 = 'S3_BUCKET' in env): RoutingResultStore {
  return new RoutingResultStore(
    loadConfig(env),
    named('database') as DatabaseResultStore,
    named('filesystem') as FilesystemResultStore,
    withS3 ? (named('s3') as S3ResultStore) : null,
  );
}

const chosen = async (store: RoutingResultStore, result: ResultToStore) => (await store.stage({ jobId: 'j', attempt: 1 }, result)).ref.store;

describe('RoutingResultStore', () => {
  it.each([
    ['embedded, no S3', {}, ['database', 'filesystem', 'filesystem']],
    ['embedded, S3', S3, ['database', 's3', 's3']],
    ['distributed, no S3', DISTRIBUTED, ['database', 'database', 'database']],
    ['distributed, S3', { ...DISTRIBUTED, ...S3 }, ['database', 's3', 's3']],
  ])('auto (%s): small buffers in the database, large ones and streams as shown', async (_, env, expected) => {
    const store = router(env);
    expect([await chosen(store, small), await chosen(store, large), await chosen(store, stream())]).toEqual(expected);
  });

  it.each([
    ['database', {}],
    ['filesystem', {}],
    ['s3', S3],
  ] as const)('RESULT_STORE=%s takes everything', async (kind, env) => {
    const store = router({ ...env, RESULT_STORE: kind });
    expect([await chosen(store, small), await chosen(store, large), await chosen(store, stream())]).toEqual([kind, kind, kind]);
  });

  it.each([
    ['embedded, no S3', {}, 'filesystem'],
    ['embedded, S3', S3, 's3'],
    ['distributed, S3', { ...DISTRIBUTED, ...S3 }, 's3'],
    ['distributed, RESULT_STORE=filesystem', { ...DISTRIBUTED, RESULT_STORE: 'filesystem' }, 'filesystem'],
  ])('named result files (%s) never go to the database', async (_, env, expected) => {
    const staged = await router(env).stage({ jobId: 'j', attempt: 1, name: '240p.mp4' }, small);
    expect(staged.ref.store).toBe(expected);
  });

  it('refuses named result files where nodes share neither S3 nor a directory', async () => {
    await expect(router(DISTRIBUTED).stage({ jobId: 'j', attempt: 1, name: 'poster.jpg' }, small)).rejects.toThrow('result files need S3_BUCKET');
  });

  it('opens each ref from the store that wrote it', async () => {
    const store = router(S3);
    for (const name of ['database', 'filesystem', 's3'] as const) {
      expect((await store.open('j', { store: name, contentType: 'x', sizeBytes: 0 }))?.contentType).toBe(name);
    }
  });

  it('says what is missing when a result sits in S3 but S3 is no longer configured', async () => {
    await expect(router({}).open('j', { store: 's3', contentType: 'x', sizeBytes: 1, location: 'results/j/1' })).rejects.toThrow(
      'this result is kept in S3, but S3_BUCKET is not set',
    );
  });
});
