import { AllowList, checkAddresses, type AddressClass } from './address-policy.js';
import { formatIp, parseIp } from './ip-address.js';

export const MAX_URL_LENGTH = 2048;

/** The host part of a webhook URL once its shape passed: a literal address or a name to resolve. */
export type UrlTarget =
  | { ok: true; url: URL; kind: 'address'; address: string }
  | { ok: true; url: URL; kind: 'name'; hostname: string; allowedByName: boolean };

export type UrlRefusal = { ok: false; reason: string; kind?: AddressClass };

/**
 * Shape checks that need no network: http(s) only, no credentials, a host, and (for literal
 * addresses, including the odd forms the WHATWG parser normalises, like http://2130706433/)
 * the address class. Names still need `checkAddresses` on what they resolve to.
 */
export function inspectUrl(raw: string, allow: AllowList): UrlTarget | UrlRefusal {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `only http and https URLs are allowed (got ${url.protocol.replace(/:$/, '')})` };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials in the URL are not allowed' };
  const host = url.hostname;
  if (host === '') return { ok: false, reason: 'the URL has no host' };
  const literal = parseIp(host);
  if (literal) {
    const verdict = checkAddresses([formatIp(literal)], allow);
    if (!verdict.allowed) return { ok: false, reason: refusalReason(host, verdict.kind), kind: verdict.kind };
    return { ok: true, url, kind: 'address', address: formatIp(literal) };
  }
  return { ok: true, url, kind: 'name', hostname: host, allowedByName: allow.allowsHost(host) };
}

export function refusalReason(host: string, kind: AddressClass): string {
  return `${host} is a ${kind} address; webhooks only go to public addresses (see WEBHOOK_ALLOWED_HOSTS)`;
}
