import type { AppConfig, ResultStoreKind } from './app-config.js';
import type { EnvReader } from './env-readers.js';
import { S3Credentials } from './s3-credentials.js';

const RESULT_STORES: readonly ResultStoreKind[] = ['auto', 'database', 'filesystem', 's3'];
/** S3's bucket naming rules, less the rarely used dotted forms' fine print. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 604_800;

export type ResultSettings = Pick<AppConfig, 'resultStore' | 'resultInlineMaxBytes' | 's3' | 'resultDelivery'>;

/** RESULT_* and S3_*: where results are kept and how they are handed out. Problems name the variables. */
export function readResultSettings(read: EnvReader): ResultSettings {
  const resultStore = read.oneOf('RESULT_STORE', RESULT_STORES, 'auto');
  const s3 = readS3Settings(read);
  const mode = read.oneOf('RESULT_DELIVERY', ['stream', 'redirect'] as const, 'stream');
  if (resultStore === 's3' && !s3) read.problems.push('RESULT_STORE=s3 needs S3_BUCKET');
  if (mode === 'redirect' && !s3) read.problems.push('RESULT_DELIVERY=redirect needs S3_BUCKET (only results in S3 are redirected to)');
  return {
    resultStore,
    resultInlineMaxBytes: read.int('RESULT_INLINE_MAX_BYTES', 262_144, 0, 104_857_600),
    s3,
    resultDelivery: { mode, presignTtlSeconds: read.int('RESULT_PRESIGN_TTL_SECONDS', 300, 1, MAX_PRESIGN_SECONDS) },
  };
}

function readS3Settings(read: EnvReader): AppConfig['s3'] {
  const bucket = read.optionalString('S3_BUCKET');
  const endpoint = read.url('S3_ENDPOINT', ['http:', 'https:']);
  const region = read.string('S3_REGION', 'us-east-1');
  const prefix = read.string('S3_PREFIX', 'results/');
  const forcePathStyle = read.bool('S3_FORCE_PATH_STYLE', false);
  const accessKeyId = read.optionalString('S3_ACCESS_KEY_ID');
  const secretAccessKey = read.optionalString('S3_SECRET_ACCESS_KEY');

  if (bucket !== undefined && !BUCKET_NAME.test(bucket)) {
    read.problems.push('S3_BUCKET must be 3 to 63 lower-case letters, digits, dots or hyphens');
  }
  if (prefix.startsWith('/') || !prefix.endsWith('/')) {
    read.problems.push('S3_PREFIX must end with "/" (and not start with it), e.g. results/');
  }
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    read.problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither for the default credential chain');
  }
  if (bucket === undefined) {
    const stray = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((name) => read.optionalString(name) !== undefined);
    if (stray.length > 0) read.problems.push(`${stray.join(', ')} set but S3_BUCKET is not: S3 is only used with a bucket`);
    return undefined;
  }
  return {
    endpoint,
    region,
    bucket,
    prefix,
    forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? new S3Credentials(accessKeyId, secretAccessKey) : undefined,
  };
}
