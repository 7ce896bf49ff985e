import ipaddr from 'ipaddr.js';
import { parseCidr, parseIp, type IpAddress } from './ip-address.js';

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

/** Cloud instance-metadata endpoints: single addresses, named apart from the ranges they sit in. */
const METADATA = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.123', // AWS time sync
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS IMDS over IPv6
].map((text) => ipaddr.parse(text).toNormalizedString());

/** ipaddr.js range names → our classes; every range it knows other than `unicast` is refused. */
const RANGE_CLASSES: Record<string, Exclude<AddressClass, 'public' | 'metadata'>> = {
  unspecified: 'unspecified',
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'shared',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'private',
  multicast: 'multicast',
};

/**
 * IPv6 forms that carry an IPv4 address a packet can end up at, and where: IPv4-mapped
 * (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96, RFC 6145), IPv4-compatible (::/96, deprecated),
 * NAT64 (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, bits 16-47) and ISATAP interface ids
 * (…:0:5efe:a.b.c.d and …:200:5efe:a.b.c.d). Each is judged by the IPv4 inside.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const low = (hi: number, lo: number) => ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]) as ipaddr.IPv4;
  const zeros = (from: number, to: number) => parts.slice(from, to).every((part) => part === 0);
  if (zeros(0, 5) && (parts[5] === 0xffff || parts[5] === 0)) return low(parts[6], parts[7]); // mapped, compatible
  if (zeros(0, 4) && parts[4] === 0xffff && parts[5] === 0) return low(parts[6], parts[7]); // translated
  if (parts[0] === 0x64 && parts[1] === 0xff9b && zeros(2, 6)) return low(parts[6], parts[7]); // NAT64 well-known prefix
  if (parts[0] === 0x2002) return low(parts[1], parts[2]); // 6to4
  if ((parts[4] === 0 || parts[4] === 0x200) && parts[5] === 0x5efe) return low(parts[6], parts[7]); // ISATAP
  return null;
}

/** Classifies one address. IPv6 forms that carry an IPv4 address are judged by that address. */
export function classifyAddress(address: IpAddress): AddressClass {
  if (METADATA.includes(address.toNormalizedString())) return 'metadata';
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    const range = v6.range();
    if (range === 'unspecified' || range === 'loopback') return range;
    const inner = embeddedIPv4(v6);
    if (inner) return classifyAddress(inner);
    // Teredo (2001::/32) tunnels to an address we cannot see; local-use NAT64 (64:ff9b:1::/48) to one we cannot place.
    if (range === 'teredo' || range === 'rfc6052') return 'reserved';
    if (range === 'unicast') return 'public';
    return RANGE_CLASSES[range] ?? 'reserved';
  }
  const range = address.range();
  if (range === 'unicast') return 'public';
  return RANGE_CLASSES[range] ?? 'reserved';
}

/** The IPv4 address behind an IPv4-mapped IPv6 one (so allow-list entries match either spelling). */
function plain(address: IpAddress): IpAddress {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
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
    private readonly ranges: ReadonlyArray<[IpAddress, number]>,
  ) {}

  static readonly empty = new AllowList(new Set(), [], []);

  /** Throws on an entry that is neither a host name nor an address/range. */
  static parse(entries: readonly string[]): AllowList {
    const hosts = new Set<string>();
    const suffixes: string[] = [];
    const ranges: Array<[IpAddress, number]> = [];
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
    const candidate = plain(address);
    return this.ranges.some(([base, prefix]) => candidate.kind() === base.kind() && candidate.match(base, prefix));
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
