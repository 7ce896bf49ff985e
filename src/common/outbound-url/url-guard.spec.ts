import { AllowList } from './address-policy.js';
import type { HostResolver } from './host-resolver.js';
import { checkOutboundUrl } from './url-guard.js';

/** A resolver that answers from a table and records every name asked: no real DNS. */
function stubResolver(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return Object.assign(resolve, { asked });
}

describe('checkOutboundUrl (registration)', () => {
  const resolver = stubResolver({
    'public.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'internal.example': ['10.0.0.7'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
    'metadata.example': ['169.254.169.254'],
    'v6loop.example': ['::1'],
    'hooks.internal': ['10.9.9.9'],
  });

  it('accepts a name resolving only to public addresses', async () => {
    await expect(checkOutboundUrl('https://public.example/hook', AllowList.empty, resolver)).resolves.toEqual({ ok: true });
  });

  it.each([
    ['https://internal.example/', 'internal.example resolves to 10.0.0.7 is a private address'],
    ['https://mixed.example/', 'mixed.example resolves to 127.0.0.1 is a loopback address'],
    ['https://metadata.example/', 'metadata.example resolves to 169.254.169.254 is a metadata address'],
    ['https://v6loop.example/', 'v6loop.example resolves to ::1 is a loopback address'],
  ])('refuses %s', async (url, reason) => {
    const check = await checkOutboundUrl(url, AllowList.empty, resolver);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(reason);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(checkOutboundUrl('https://nowhere.example/', AllowList.empty, resolver)).resolves.toEqual({
      ok: false,
      reason: 'nowhere.example does not resolve (ENOTFOUND)',
    });
  });

  it('judges literal addresses without asking DNS', async () => {
    resolver.asked.length = 0;
    const check = await checkOutboundUrl('http://192.168.1.1/', AllowList.empty, resolver);
    expect(check).toMatchObject({ ok: false });
    await expect(checkOutboundUrl('http://8.8.8.8/', AllowList.empty, resolver)).resolves.toEqual({ ok: true });
    expect(resolver.asked).toEqual([]);
  });

  it('allow-listed names skip the address check; allow-listed ranges pass', async () => {
    await expect(checkOutboundUrl('http://hooks.internal/', AllowList.parse(['hooks.internal']), resolver)).resolves.toEqual({ ok: true });
    await expect(checkOutboundUrl('http://internal.example/', AllowList.parse(['10.0.0.0/8']), resolver)).resolves.toEqual({ ok: true });
  });

  it('refuses non-http schemes before anything else', async () => {
    await expect(checkOutboundUrl('ftp://public.example/', AllowList.empty, resolver)).resolves.toMatchObject({ ok: false });
  });
});
