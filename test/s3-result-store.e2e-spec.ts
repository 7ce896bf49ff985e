import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/config/load-config.js';
import { blobChunks } from '../src/diagnostics/blob-bytes.js';
import { createS3Client } from '../src/results/adapters/s3-client.js';
import { S3ResultStore } from '../src/results/adapters/s3-result-store.js';
import type { ResultTransaction, StoredResult } from '../src/results/result-store.port.js';
import { uniqueName } from './support/kafka.js';
import { TEST_BUCKET, emptyPrefix, keysUnder, s3Env, testS3Client } from './support/s3.js';

/** The S3 adapter itself against the real S3Mock through the real SDK (no app process). */
describe('S3 result store on S3Mock', () => {
  const prefix = `${uniqueName()}/`;
  const settings = loadConfig(s3Env(prefix)).s3!;
  const client = createS3Client(settings);
  const store = new S3ResultStore(client, settings);
  const look: S3Client = testS3Client();
  /** The S3 store writes nothing in the completing transaction: a query there would be a bug. */
  const transaction: ResultTransaction = { query: () => Promise.reject(new Error('unexpected query in the transaction')) };

  const text = async (stored: StoredResult | null) => {
    if (!stored) throw new Error('no result');
    return Buffer.concat(await stored.stream.toArray()).toString();
  };

  afterAll(async () => {
    await emptyPrefix(look, prefix);
    look.destroy();
    store.onApplicationShutdown();
  });

  it('keeps each attempt under its own key: a stale attempt never becomes, nor overwrites, the result', async () => {
    const jobId = randomUUID();
    const winner = await store.stage({ jobId, attempt: 2 }, { contentType: 'application/json', body: Buffer.from('{"attempt":2}') });
    await winner.commit(transaction);
    // Attempt 1 lost its lease long ago, but its handler only finishes now: it writes, is refused, discards.
    const stale = await store.stage({ jobId, attempt: 1 }, { contentType: 'application/json', body: Buffer.from('{"attempt":1}') });
    expect(stale.ref.location).not.toBe(winner.ref.location);
    expect(await keysUnder(look, `${prefix}${jobId}/`)).toEqual([`${prefix}${jobId}/1`, `${prefix}${jobId}/2`]);
    await stale.discard();

    expect(await keysUnder(look, `${prefix}${jobId}/`)).toEqual([`${prefix}${jobId}/2`]);
    expect(winner.ref).toEqual({ store: 's3', contentType: 'application/json', sizeBytes: 13, location: `${prefix}${jobId}/2`, attempt: 2 });
    expect(await text(await store.open(jobId, winner.ref))).toBe('{"attempt":2}');
  });

  it('streams a multipart result up and down, keeping its content type and length', async () => {
    const jobId = randomUUID();
    const size = 20 * 1024 * 1024 + 123; // three parts of 8 MiB
    const expected = createHash('sha256');
    for (const chunk of blobChunks(size)) expected.update(chunk);

    const staged = await store.stage({ jobId, attempt: 1 }, { contentType: 'application/x-ndjson', body: Readable.from(blobChunks(size)) });
    expect(staged.ref).toMatchObject({ store: 's3', sizeBytes: size, contentType: 'application/x-ndjson' });
    const head = await look.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: staged.ref.location }));
    expect({ length: head.ContentLength, type: head.ContentType }).toEqual({ length: size, type: 'application/x-ndjson' });

    const stored = await store.open(jobId, staged.ref);
    expect(stored).toMatchObject({ contentType: 'application/x-ndjson', sizeBytes: size });
    const actual = createHash('sha256');
    for await (const chunk of stored!.stream) actual.update(chunk as Buffer);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });

  it('leaves nothing behind when the result stream fails half way', async () => {
    const jobId = randomUUID();
    function* failing() {
      yield* blobChunks(9 * 1024 * 1024); // more than a part: the multipart upload has begun
      throw new Error('handler stream broke');
    }
    await expect(store.stage({ jobId, attempt: 1 }, { contentType: 'text/plain', body: Readable.from(failing()) })).rejects.toThrow(
      'handler stream broke',
    );
    expect(await keysUnder(look, `${prefix}${jobId}/`)).toEqual([]);
  });

  it('remove deletes every object of the job, and open then finds nothing', async () => {
    const jobId = randomUUID();
    const kept = await store.stage({ jobId, attempt: 3 }, { contentType: 'text/plain', body: Buffer.from('result') });
    await store.stage({ jobId, attempt: 2 }, { contentType: 'text/plain', body: Buffer.from('a leftover nobody discarded') });
    const other = await store.stage({ jobId: randomUUID(), attempt: 1 }, { contentType: 'text/plain', body: Buffer.from('another job') });

    await store.remove(jobId);

    expect(await keysUnder(look, `${prefix}${jobId}/`)).toEqual([]);
    expect(await store.open(jobId, kept.ref)).toBeNull();
    expect(await keysUnder(look, other.ref.location!)).toEqual([other.ref.location]);
    await store.remove(jobId); // a missing result is not an error
  });

  it('presigns a GET that a plain client can follow', async () => {
    const jobId = randomUUID();
    const staged = await store.stage({ jobId, attempt: 1 }, { contentType: 'text/csv', body: Buffer.from('a,b\n1,2\n') });
    const url = await store.presign(jobId, staged.ref, 60);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:9090/${TEST_BUCKET}/${prefix}${jobId}/1\\?.*X-Amz-Expires=60`));
    const answer = await fetch(url);
    expect({ status: answer.status, type: answer.headers.get('content-type'), body: await answer.text() }).toEqual({
      status: 200,
      type: 'text/csv',
      body: 'a,b\n1,2\n',
    });
  });
});
