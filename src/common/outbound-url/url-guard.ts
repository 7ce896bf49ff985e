import { AllowList, checkAddresses } from './address-policy.js';
import { inspectUrl, refusalReason } from './url-policy.js';
import type { HostResolver } from './host-resolver.js';

export type UrlCheck = { ok: true } | { ok: false; reason: string };

/**
 * The registration-time check: the URL's shape, then every address its host resolves to now.
 * Delivery re-checks with a fresh lookup (see guarded-lookup.ts), because DNS answers change.
 */
export async function checkOutboundUrl(raw: string, allow: AllowList, resolve: HostResolver): Promise<UrlCheck> {
  const target = inspectUrl(raw, allow);
  if (!target.ok) return { ok: false, reason: target.reason };
  if (target.kind === 'address' || target.allowedByName) return { ok: true };
  let addresses: string[];
  try {
    addresses = (await resolve(target.hostname)).map((entry) => entry.address);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'lookup failed';
    return { ok: false, reason: `${target.hostname} does not resolve (${code})` };
  }
  const verdict = checkAddresses(addresses, allow);
  if (!verdict.allowed) return { ok: false, reason: `${target.hostname} resolves to ${refusalReason(verdict.address, verdict.kind)}` };
  return { ok: true };
}
