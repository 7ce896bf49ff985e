import { inspect } from 'node:util';
import { ConfigValidationError, loadConfig } from './load-config.js';

const S3 = {
  S3_BUCKET: 'longhaul-results',
  S3_ENDPOINT: 'http://127.0.0.1:9090',
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-very-secret',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('result settings', () => {
  it('keep S3 off and stream results by default', () => {
    expect(loadConfig({})).toMatchObject({
      resultStore: 'auto',
      resultInlineMaxBytes: 262_144,
      s3: undefined,
      resultDelivery: { mode: 'stream', presignTtlSeconds: 300 },
    });
  });

  it('turn S3 on with a bucket, with the defaults for the rest', () => {
    expect(loadConfig({ S3_BUCKET: 'b-1' }).s3).toEqual({
      bucket: 'b-1',
      endpoint: undefined,
      region: 'us-east-1',
      prefix: 'results/',
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  it('read every S3 setting', () => {
    const config = loadConfig({ ...S3, RESULT_STORE: 's3', RESULT_DELIVERY: 'redirect', RESULT_PRESIGN_TTL_SECONDS: '60', S3_PREFIX: 'lh/jobs/', S3_REGION: 'eu-west-1' });
    expect(config.resultStore).toBe('s3');
    expect(config.resultDelivery).toEqual({ mode: 'redirect', presignTtlSeconds: 60 });
    expect(config.s3).toMatchObject({ bucket: 'longhaul-results', endpoint: 'http://127.0.0.1:9090', region: 'eu-west-1', prefix: 'lh/jobs/', forcePathStyle: true });
    expect(config.s3?.credentials?.accessKeyId).toBe('AKIDEXAMPLE');
    expect(config.s3?.credentials?.secretAccessKey).toBe(S3.S3_SECRET_ACCESS_KEY);
  });

  it('never print the secret access key, however the config is logged', () => {
    const config = loadConfig(S3);
    for (const text of [JSON.stringify(config), inspect(config, { depth: 10 }), inspect(config.s3?.credentials)]) {
      expect(text).not.toContain(S3.S3_SECRET_ACCESS_KEY);
    }
    expect(JSON.stringify(config.s3)).toContain('AKIDEXAMPLE');
  });

  it.each([
    [{ RESULT_STORE: 's3' }, 'RESULT_STORE=s3 needs S3_BUCKET'],
    [{ RESULT_DELIVERY: 'redirect' }, 'RESULT_DELIVERY=redirect needs S3_BUCKET'],
    [{ RESULT_DELIVERY: 'link' }, 'RESULT_DELIVERY must be one of stream, redirect'],
    [{ S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET must be'],
    [{ S3_BUCKET: 'b-1', S3_PREFIX: 'results' }, 'S3_PREFIX must end with "/"'],
    [{ S3_BUCKET: 'b-1', S3_PREFIX: '/results/' }, 'S3_PREFIX must end with "/"'],
    [{ S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'AKID' }, 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together'],
    [{ S3_BUCKET: 'b-1', S3_ENDPOINT: 'ftp://s3.local' }, 'S3_ENDPOINT must use http: or https:'],
    [{ S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: 'sometimes' }, 'S3_FORCE_PATH_STYLE must be true or false'],
    [{ S3_BUCKET: 'b-1', RESULT_PRESIGN_TTL_SECONDS: '604801' }, 'RESULT_PRESIGN_TTL_SECONDS must be an integer from 1 to 604800'],
    [{ S3_ENDPOINT: 'http://127.0.0.1:9090' }, 'S3_ENDPOINT set but S3_BUCKET is not'],
  ])('reject %j, naming the variable', (env, message) => {
    const problems = problemsOf(env);
    expect(problems).toEqual([expect.stringContaining(message)]);
  });

  it('keep the secret out of the problems it reports', () => {
    const problems = problemsOf({ S3_SECRET_ACCESS_KEY: S3.S3_SECRET_ACCESS_KEY, S3_BUCKET: 'b-1' });
    expect(problems.join('\n')).not.toContain(S3.S3_SECRET_ACCESS_KEY);
  });
});
