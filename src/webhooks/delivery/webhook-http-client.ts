import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';
import { AppConfig } from '../../config/app-config.js';
import { AllowList } from '../../common/outbound-url/address-policy.js';
import type { AttemptResult } from '../domain/retry-decision.js';
import { inspectUrl } from '../../common/outbound-url/url-policy.js';
import { REFUSED_CODE, guardedLookup } from '../../common/outbound-url/guarded-lookup.js';
import { systemResolver, type HostResolver } from '../../common/outbound-url/host-resolver.js';

/** Read at most this much of a response (then drop the connection) so a receiver cannot stream forever. */
const MAX_READ_BYTES = 64 * 1024;
const USER_AGENT = 'longhaul-webhooks/0.1';
const INSPECTED_MAX = 10_000;
/** Optional provider replacing the system DNS resolver (unit tests). */
export const HOST_RESOLVER = Symbol('HostResolver');

export interface HttpAttempt {
  result: AttemptResult;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * POSTs one signed body. Redirects are never followed (undici's request does not follow them),
 * the whole attempt has one time budget, and every connection goes through the guarded lookup.
 */
@Injectable()
export class WebhookHttpClient implements OnApplicationShutdown {
  private readonly allow: AllowList;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly inspected = new Map<string, ReturnType<typeof inspectUrl>>();

  constructor(config: AppConfig, @Optional() @Inject(HOST_RESOLVER) resolver?: HostResolver) {
    this.allow = AllowList.parse(config.webhooks.allowedHosts);
    this.timeoutMs = config.webhooks.timeoutMs;
    this.agent = createAgent(this.allow, resolver ?? systemResolver, this.timeoutMs);
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<HttpAttempt> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const target = this.inspect(url);
    if (!target.ok) return failure({ kind: 'refused', message: target.reason }, elapsed());
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await this.agent.request({
        origin: target.url.origin,
        path: target.url.pathname + target.url.search,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
        body,
        signal,
      });
      await discard(response.body);
      return {
        result: {
          kind: 'response',
          status: response.statusCode,
          retryAfter: header(response.headers['retry-after']),
          location: header(response.headers.location),
        },
        statusCode: response.statusCode,
        latencyMs: elapsed(),
        error: null,
      };
    } catch (error) {
      return failure(classifyError(error, signal), elapsed());
    }
  }

  /** The URL checks depend only on the string and the (fixed) allow-list, so they are remembered. */
  private inspect(url: string): ReturnType<typeof inspectUrl> {
    let target = this.inspected.get(url);
    if (!target) {
      if (this.inspected.size >= INSPECTED_MAX) this.inspected.clear();
      target = inspectUrl(url, this.allow);
      this.inspected.set(url, target);
    }
    return target;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

export function createAgent(allow: AllowList, resolve: HostResolver, timeoutMs: number): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(allow, resolve), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 4000,
  });
}

function failure(result: Exclude<AttemptResult, { kind: 'response' }>, latencyMs: number): HttpAttempt {
  const error = result.kind === 'timeout' ? 'timed out' : result.message;
  return { result, statusCode: null, latencyMs, error };
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** The reply is read (so the connection can be reused) and thrown away: the delivery log keeps status and timing only. */
async function discard(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<void> {
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read >= MAX_READ_BYTES) {
      body.destroy();
      return;
    }
  }
}

/** Finds why a request failed; the guard's refusal sits somewhere in the cause chain. */
export function classifyError(error: unknown, signal: AbortSignal): Exclude<AttemptResult, { kind: 'response' }> {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message } = cause as { code?: string; message?: string };
    if (code === REFUSED_CODE) return { kind: 'refused', message: message ?? 'address refused' };
  }
  const code = (error as { code?: string }).code;
  if (signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timeout' };
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? code;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'network-error', message: detail && !message.includes(detail) ? `${message} (${detail})` : message };
}
