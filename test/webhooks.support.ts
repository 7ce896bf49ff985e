import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { AppProcess } from './support/app-process.js';
import { http } from './support/http.js';
import { waitFor } from './support/wait-for.js';

/** The JSON body of a delivery: {id, type, createdAt, data: {jobId, status, resultUrl, error?}}. */
export interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  data: { jobId: string | null; status: string | null; resultUrl: string | null; error?: { message: string; attempt: number } };
}

export interface Hit {
  path: string;
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: WebhookBody | null;
}

export interface AttemptView {
  attempt: number;
  round: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  outcome: string;
  error: string | null;
  retryAt: string | null;
}

export interface DeliveryView {
  id: string;
  messageId: string;
  webhookId: string | null;
  event: string;
  jobId: string | null;
  url: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: WebhookBody;
  attempts: AttemptView[];
}

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  previousSecretExpiresAt: string | null;
  secret?: string;
}

export interface PlannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A real HTTP receiver on a loopback address. Each path answers its planned responses in order, then 200. */
export class Receiver {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    readonly hits: Hit[],
    private readonly plans: Map<string, PlannedAnswer[]>,
  ) {}

  static async start(host = '127.0.0.1'): Promise<Receiver> {
    const hits: Hit[] = [];
    const plans = new Map<string, PlannedAnswer[]>();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        hits.push({ path, at: Date.now(), headers: req.headers, body, json: parseJson(body) });
        const answer = plans.get(path)?.shift() ?? { status: 200, body: 'ok' };
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return new Receiver(server, host, (server.address() as AddressInfo).port, hits, plans);
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  plan(path: string, ...answers: PlannedAnswer[]): void {
    this.plans.set(path, [...(this.plans.get(path) ?? []), ...answers]);
  }

  on(path: string): Hit[] {
    return this.hits.filter((hit) => hit.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function parseJson(body: string): WebhookBody | null {
  try {
    return JSON.parse(body) as WebhookBody;
  } catch {
    return null;
  }
}

let pathCounter = 0;
export function uniquePath(label: string): string {
  pathCounter += 1;
  return `/${label}-${pathCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Verifies a hit as a Standard Webhooks receiver would (this also rejects timestamps older than 5 minutes). */
export function verifyStandard(secret: string, hit: Hit): unknown {
  return new Webhook(secret).verify(hit.body, {
    'webhook-id': String(hit.headers['webhook-id']),
    'webhook-timestamp': String(hit.headers['webhook-timestamp']),
    'webhook-signature': String(hit.headers['webhook-signature']),
  });
}

/** The seed's X-Signature: `sha256=<hex HMAC-SHA256(secret, body)>` (one entry per live secret). */
export function xSignatureMatches(secret: string, hit: Hit): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(hit.body).digest('hex')}`;
  return String(hit.headers['x-signature']).split(' ').includes(expected);
}

/** Creates webhooks and deletes them afterwards, so one test's subscription never sees another test's jobs. */
export class WebhookFixtures {
  private readonly created: string[] = [];

  constructor(private readonly app: () => AppProcess) {}

  async create(body: Record<string, unknown>): Promise<{ id: string; secret: string; body: WebhookView }> {
    const answer = await http<WebhookView & { secret: string }>(this.app().baseUrl, '/webhooks', { method: 'POST', json: body });
    if (answer.status !== 201) throw new Error(`POST /webhooks answered ${answer.status}: ${answer.text}`);
    this.created.push(answer.body.id);
    return { id: answer.body.id, secret: answer.body.secret, body: answer.body };
  }

  /** A webhook created by hand that should be deleted after the test too. */
  track(id: string): void {
    this.created.push(id);
  }

  async cleanUp(): Promise<void> {
    for (const id of this.created.splice(0)) await http(this.app().baseUrl, `/webhooks/${id}`, { method: 'DELETE' });
  }
}

export async function deliveriesOf(app: AppProcess, webhookId: string): Promise<DeliveryView[]> {
  const answer = await http<{ items: DeliveryView[] }>(app.baseUrl, `/webhooks/${webhookId}/deliveries`);
  if (answer.status !== 200) throw new Error(`deliveries answered ${answer.status}: ${answer.text}`);
  return answer.body.items;
}

export async function waitForDelivery(
  app: AppProcess,
  webhookId: string,
  predicate: (delivery: DeliveryView) => boolean,
  what: string,
): Promise<DeliveryView> {
  return waitFor(
    async () => (await deliveriesOf(app, webhookId)).find(predicate) ?? false,
    { timeoutMs: 30_000, what: () => `${what} (webhook ${webhookId})` },
  );
}

export async function sendTest(app: AppProcess, webhookId: string): Promise<DeliveryView> {
  const answer = await http<DeliveryView>(app.baseUrl, `/webhooks/${webhookId}/test`, { method: 'POST' });
  if (answer.status !== 202) throw new Error(`test answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

export async function submitJob(app: AppProcess, body: Record<string, unknown>): Promise<string> {
  const answer = await http<{ jobId: string }>(app.baseUrl, '/jobs', { method: 'POST', json: body });
  if (answer.status !== 202) throw new Error(`POST /jobs answered ${answer.status}: ${answer.text}`);
  return answer.body.jobId;
}
