import { AllowList, checkAddresses, classifyAddress, type AddressClass } from './address-policy.js';
import { parseIp } from './ip-address.js';

function classify(text: string): AddressClass {
  const address = parseIp(text);
  if (!address) throw new Error(`bad test address ${text}`);
  return classifyAddress(address);
}

describe('classifyAddress', () => {
  it.each<[string, AddressClass]>([
    // IPv4
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['192.0.0.192', 'metadata'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['11.0.0.1', 'public'],
    // IPv6
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a9fe:a9fe::1', 'metadata'],
    ['2002:808:808::1', 'public'],
    // IPv4-translated (::ffff:0:0:0/96, RFC 6145): judged by the IPv4 inside
    ['::ffff:0:7f00:1', 'loopback'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:a9fe:a9fe', 'metadata'],
    ['::ffff:0:808:808', 'public'],
    // ISATAP interface ids
    ['2606:4700::5efe:7f00:1', 'loopback'],
    ['2606:4700::200:5efe:a00:1', 'private'],
    // local-use NAT64 and Teredo tunnel to addresses we cannot judge
    ['64:ff9b:1::808:808', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['::ffff:255.255.255.255', 'reserved'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classify(address)).toBe(kind);
  });
});

describe('AllowList', () => {
  it('matches IPv4 entries whichever way the address is spelled', () => {
    const allow = AllowList.parse(['127.0.0.1']);
    expect(checkAddresses(['::ffff:127.0.0.1'], allow)).toEqual({ allowed: true });
  });

  it('lets listed addresses and ranges through', () => {
    const allow = AllowList.parse(['127.0.0.1', '10.1.0.0/16', 'fd00::/8']);
    expect(checkAddresses(['127.0.0.1'], allow)).toEqual({ allowed: true });
    expect(checkAddresses(['10.1.200.3'], allow)).toEqual({ allowed: true });
    expect(checkAddresses(['fd00::5'], allow)).toEqual({ allowed: true });
    expect(checkAddresses(['127.0.0.2'], allow)).toEqual({ allowed: false, address: '127.0.0.2', kind: 'loopback' });
    expect(checkAddresses(['10.2.0.1'], allow)).toEqual({ allowed: false, address: '10.2.0.1', kind: 'private' });
  });

  it('matches host names exactly or by wildcard suffix, case-insensitively, ignoring a trailing dot', () => {
    const allow = AllowList.parse([' Hooks.Internal ', '*.svc.local', '']);
    expect(allow.allowsHost('hooks.internal')).toBe(true);
    expect(allow.allowsHost('HOOKS.INTERNAL.')).toBe(true);
    expect(allow.allowsHost('a.svc.local')).toBe(true);
    expect(allow.allowsHost('a.b.svc.local')).toBe(true);
    expect(allow.allowsHost('svc.local')).toBe(false);
    expect(allow.allowsHost('evilsvc.local')).toBe(false);
    expect(allow.allowsHost('other.internal')).toBe(false);
  });

  it('refuses entries that are neither names nor addresses', () => {
    expect(() => AllowList.parse(['http://x'])).toThrow('"http://x" is neither a host name nor an IP address or CIDR range');
    expect(() => AllowList.parse(['10.0.0.0/40'])).toThrow();
    expect(() => AllowList.parse(['*'])).toThrow();
  });

  it('the empty list allows no private address', () => {
    expect(checkAddresses(['127.0.0.1'], AllowList.empty).allowed).toBe(false);
    expect(AllowList.empty.allowsHost('localhost')).toBe(false);
  });
});

describe('checkAddresses', () => {
  it('allows a set of public addresses', () => {
    expect(checkAddresses(['8.8.8.8', '2606:4700:4700::1111'], AllowList.empty)).toEqual({ allowed: true });
  });

  it('refuses the whole name when any one answer is not public (no mixing records to reach inside)', () => {
    expect(checkAddresses(['8.8.8.8', '10.0.0.1'], AllowList.empty)).toEqual({ allowed: false, address: '10.0.0.1', kind: 'private' });
  });

  it('refuses an empty answer and an unreadable one', () => {
    expect(checkAddresses([], AllowList.empty).allowed).toBe(false);
    expect(checkAddresses(['not-an-ip'], AllowList.empty)).toEqual({ allowed: false, address: 'not-an-ip', kind: 'reserved' });
  });
});
