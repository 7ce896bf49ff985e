import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { uniqueName } from './kafka.js';

/** S3Mock started by `npm run infra:up` (scripts/infra/s3mock.sh), with its bucket. Never stopped by a test. */
export const S3MOCK_ENDPOINT = 'http://127.0.0.1:9090';
export const TEST_BUCKET = 'longhaul-results';

/** The app's S3 settings for a suite of its own: the shared bucket, a prefix no other suite uses. */
export function s3Env(prefix = `${uniqueName()}/`): Record<string, string> {
  return {
    S3_ENDPOINT: S3MOCK_ENDPOINT,
    S3_BUCKET: TEST_BUCKET,
    S3_PREFIX: prefix,
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'longhaul-e2e',
    S3_SECRET_ACCESS_KEY: 'longhaul-e2e-secret',
  };
}

/** A plain SDK client on S3Mock, for looking at what the app wrote. */
export function testS3Client(): S3Client {
  return new S3Client({
    endpoint: S3MOCK_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'longhaul-e2e', secretAccessKey: 'longhaul-e2e-secret' },
  });
}

export async function keysUnder(client: S3Client, prefix: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])).sort();
}

/** Deletes what a suite left under its prefix. */
export async function emptyPrefix(client: S3Client, prefix: string): Promise<void> {
  for (const key of await keysUnder(client, prefix)) {
    await client.send(new DeleteObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
  }
}
