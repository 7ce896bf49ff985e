import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { startApp, type AppProcess } from './support/app-process.js';
import { TEST_DATABASE_URL, createTestSchema, type TestSchema } from './support/database.js';
import { http } from './support/http.js';
import { API_KEYS, KEYS, as, leakedSecrets, receiver, type Received } from './support/security.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);
const key = () => randomBytes(32).toString('base64');
const keyId = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 16);

/** Webhook signing secrets at rest: sealed with AES-256-GCM, re-sealed on key rotation; no secret in a dump or a log. */
describe('secrets at rest', () => {
  const firstKey = key();
  const secondKey = key();
  const legacySecret = `whsec_${randomBytes(32).toString('base64')}`;
  const secrets: string[] = [legacySecret];
  const logs: string[] = [];
  let schema: TestSchema;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let app: AppProcess | undefined;
  let rotated: string;
  let legacy: string;

  const start = async (env: Record<string, string>) => {
    app = await startApp({ ...schema.env, API_KEYS, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', DAILY_REPORT_ENABLED: 'false', ...env });
    return app;
  };
  const stop = async () => {
    if (!app) return;
    await app.stop();
    logs.push(app.logs());
    app = undefined;
  };
  const stored = () => schema.query<{ id: string; secret: string; previous_secret: string | null }>(`SELECT id, secret, previous_secret FROM webhook_subscriptions`);
  const delivered = async (id: string): Promise<Received> => {
    const sent = await http(app!.baseUrl, `/webhooks/${id}/test`, { method: 'POST', headers: as('admin') });
    expect(sent.status).toBe(202);
    return waitFor(() => hooks.received.find((hit) => hit.headers['webhook-id'] === sent.body.messageId), { what: `the test delivery of ${id}` });
  };
  const verifies = (secret: string, hit: Received) => () => new Webhook(secret).verify(hit.body, hit.headers as unknown as Record<string, string>);

  beforeAll(async () => {
    schema = await createTestSchema('sec_secrets');
    hooks = await receiver();
  });

  afterAll(async () => {
    await stop();
    await hooks?.close();
    await schema?.drop();
  });

  it('stores a new secret only sealed, and signs with it', async () => {
    await start({ SECRETS_KEY: firstKey });
    const createdHook = await http(app!.baseUrl, '/webhooks', {
      method: 'POST',
      headers: as('submitterA'),
      json: { url: `http://127.0.0.1:${hooks.port}/hook`, events: ['job.complete'] },
    });
    expect(createdHook.status).toBe(201);
    rotated = createdHook.body.id;
    secrets.push(createdHook.body.secret);
    const rotation = await http(app!.baseUrl, `/webhooks/${rotated}/rotate-secret`, { method: 'POST', headers: as('submitterA'), json: { overlapSeconds: 3600 } });
    secrets.push(rotation.body.secret);
    const [row] = await stored();
    expect(row?.secret.startsWith(`lh1.${keyId(firstKey)}.`)).toBe(true);
    expect(row?.previous_secret?.startsWith(`lh1.${keyId(firstKey)}.`)).toBe(true);
    const hit = await delivered(rotated);
    expect(verifies(rotation.body.secret, hit)).not.toThrow();
    expect(verifies(createdHook.body.secret, hit)).not.toThrow(); // the old one still signs during the overlap
  });

  it('seals a plain secret left from before at the next start, and re-seals everything under a rotated key', async () => {
    legacy = randomUUID();
    await schema.query(
      `INSERT INTO webhook_subscriptions (id, url, events, secret, tenant) VALUES ($1, $2, ARRAY['job.complete'], $3, 'tenant-a')`,
      [legacy, `http://127.0.0.1:${hooks.port}/legacy`, legacySecret],
    );
    await stop();
    await start({ SECRETS_KEY: secondKey, SECRETS_PREVIOUS_KEYS: firstKey });
    const rows = await stored();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.secret.startsWith(`lh1.${keyId(secondKey)}.`)).toBe(true);
      if (row.previous_secret) expect(row.previous_secret.startsWith(`lh1.${keyId(secondKey)}.`)).toBe(true);
    }
    expect(verifies(legacySecret, await delivered(legacy))).not.toThrow();
    expect(verifies(secrets[2], await delivered(rotated))).not.toThrow();
  });

  it('needs no old key once everything is re-sealed', async () => {
    await stop();
    await start({ SECRETS_KEY: secondKey });
    expect(verifies(legacySecret, await delivered(legacy))).not.toThrow();
  });

  it('leaves no webhook secret in a dump of the database', async () => {
    const { stdout } = await run('pg_dump', ['--dbname', TEST_DATABASE_URL, '--schema', schema.name, '--no-owner'], { maxBuffer: 64 * 1024 * 1024 });
    expect(stdout).toContain('webhook_subscriptions');
    expect(stdout).toContain('lh1.');
    const fragments = secrets.flatMap((secret) => [secret, secret.slice('whsec_'.length)]);
    expect(leakedSecrets(stdout, [...fragments, firstKey, secondKey])).toEqual([]);
  });

  it('never echoes or logs a key sent as ?access_token=', async () => {
    for (const path of ['/jobs/not-a-job', '/nowhere', '/jobs?limit=abc', '/jobs']) {
      const answer = await http(app!.baseUrl, `${path}${path.includes('?') ? '&' : '?'}access_token=${KEYS.readerA}`);
      expect(answer.text).not.toContain(KEYS.readerA);
    }
    const posted = await http(app!.baseUrl, `/jobs?access_token=${KEYS.submitterA}`, { method: 'POST', json: { type: 'sleep' } });
    expect(posted.status).toBe(401); // only GETs may carry the key in the URL
    expect(posted.text).not.toContain(KEYS.submitterA);
  });

  it('wrote no API key, webhook secret or master key to any log', async () => {
    await stop();
    expect(leakedSecrets(logs.join('\n'), [...Object.values(KEYS), ...secrets, firstKey, secondKey])).toEqual([]);
  });
});
