import { cidr, embeddedIPv4, inCidr, parseCidr, parseIp, type Cidr, type IpAddress } from './ip-address.js';

/** Why an address may not receive webhooks; `public` is the only class that may. */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

interface Range {
  range: Cidr;
  kind: Exclude<AddressClass, 'public'>;
}

/** Cloud instance-metadata endpoints, checked before the wider ranges they sit in. */
const METADATA: Range[] = [
  '169.254.169.254/32', // AWS, GCP, Azure, OpenStack, DigitalOcean
  '169.254.170.2/32', // AWS ECS task metadata
  '169.254.169.123/32', // AWS time sync
  '100.100.100.200/32', // Alibaba Cloud
  '192.0.0.192/32', // Oracle Cloud
  'fd00:ec2::254/128', // AWS IMDS over IPv6
].map((text) => ({ range: cidr(text), kind: 'metadata' as const }));

const IPV4: Range[] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
].map(([text, kind]) => ({ range: cidr(text), kind: kind as Range['kind'] }));

const IPV6: Range[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['100::/64', 'reserved'],
  ['2001::/32', 'reserved'], // Teredo: tunnels to an address we cannot see
  ['2001:2::/48', 'reserved'],
  ['2001:10::/28', 'reserved'],
  ['2001:20::/28', 'reserved'],
  ['2001:db8::/32', 'reserved'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
].map(([text, kind]) => ({ range: cidr(text), kind: kind as Range['kind'] }));

const IPV4_MAPPED = cidr('::ffff:0:0/96');
const IPV4_COMPATIBLE = cidr('::/96');
const NAT64 = cidr('64:ff9b::/96');
const SIX_TO_FOUR = cidr('2002::/16');

/** Classifies one address. IPv6 forms that carry an IPv4 address are judged by that address. */
export function classifyAddress(address: IpAddress): AddressClass {
  const metadata = METADATA.find((entry) => inCidr(address, entry.range));
  if (metadata) return metadata.kind;
  if (address.family === 4) return IPV4.find((entry) => inCidr(address, entry.range))?.kind ?? 'public';

  if (inCidr(address, IPV4_MAPPED) || inCidr(address, NAT64)) return classifyAddress(embeddedIPv4(address));
  if (inCidr(address, SIX_TO_FOUR)) return classifyAddress(embeddedIPv4(address, 80n));
  const fixed = IPV6.find((entry) => inCidr(address, entry.range));
  if (fixed) return fixed.kind;
  if (inCidr(address, IPV4_COMPATIBLE)) return 'reserved';
  return 'public';
}

/**
 * `WEBHOOK_ALLOWED_HOSTS`: exact host names ("hooks.internal"), wildcard suffixes ("*.svc.local"),
 * addresses ("127.0.0.1") and ranges ("10.1.0.0/16"). A host entry skips the address check for
 * that name; an address entry lets that address through wherever it comes from.
 */
export class AllowList {
  private constructor(
    private readonly hosts: ReadonlySet<string>,
    private readonly suffixes: readonly string[],
    private readonly ranges: readonly Cidr[],
  ) {}

  static readonly empty = new AllowList(new Set(), [], []);

  /** Throws on an entry that is neither a host name nor an address/range. */
  static parse(entries: readonly string[]): AllowList {
    const hosts = new Set<string>();
    const suffixes: string[] = [];
    const ranges: Cidr[] = [];
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      const range = parseCidr(entry);
      if (range) ranges.push(range);
      else if (/^\*\.[a-z0-9.-]+$/.test(entry)) suffixes.push(entry.slice(1));
      else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)) hosts.add(entry);
      else throw new Error(`"${raw}" is neither a host name nor an IP address or CIDR range`);
    }
    return new AllowList(hosts, suffixes, ranges);
  }

  allowsHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return this.hosts.has(host) || this.suffixes.some((suffix) => host.endsWith(suffix));
  }

  allowsAddress(address: IpAddress): boolean {
    return this.ranges.some((range) => inCidr(address, range));
  }
}

export type AddressVerdict = { allowed: true } | { allowed: false; address: string; kind: AddressClass };

/**
 * Every address a name resolves to must pass (one private record among public ones refuses the
 * host, so DNS answers cannot be mixed to reach inside).
 */
export function checkAddresses(addresses: readonly string[], allow: AllowList): AddressVerdict {
  for (const text of addresses) {
    const address = parseIp(text);
    if (!address) return { allowed: false, address: text, kind: 'reserved' };
    if (allow.allowsAddress(address)) continue;
    const kind = classifyAddress(address);
    if (kind !== 'public') return { allowed: false, address: text, kind };
  }
  return addresses.length > 0 ? { allowed: true } : { allowed: false, address: '(none)', kind: 'unspecified' };
}
