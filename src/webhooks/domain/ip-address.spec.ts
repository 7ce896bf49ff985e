import { cidr, embeddedIPv4, formatIp, inCidr, parseCidr, parseIPv4, parseIPv6, parseIp } from './ip-address.js';

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', 0n],
    ['127.0.0.1', 0x7f000001n],
    ['255.255.255.255', 0xffffffffn],
    ['10.1.2.3', 0x0a010203n],
  ])('reads %s', (text, value) => {
    expect(parseIPv4(text)).toEqual({ family: 4, value });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-1', '1.2.3.4 ', 'a.b.c.d', '1..2.3', '0x7f.0.0.1'])(
    'refuses %p',
    (text) => {
      expect(parseIPv4(text)).toBeNull();
    },
  );
});

describe('parseIPv6', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['2001:db8::1', (0x2001n << 112n) | (0xdb8n << 96n) | 1n],
    ['fe80:0:0:0:0:0:0:1', (0xfe80n << 112n) | 1n],
    ['::ffff:127.0.0.1', (0xffffn << 32n) | 0x7f000001n],
    ['::ffff:7f00:1', (0xffffn << 32n) | 0x7f000001n],
    ['64:ff9b::10.0.0.1', (0x64n << 112n) | (0xff9bn << 96n) | 0x0a000001n],
    ['FD00:EC2::254', (0xfd00n << 112n) | (0xec2n << 96n) | 0x254n],
  ])('reads %s', (text, value) => {
    expect(parseIPv6(text)).toEqual({ family: 6, value });
  });

  it.each([
    '',
    ':',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'g::1',
    'fe80::1%eth0',
    '::ffff:999.0.0.1',
    '1:2:3:4:5:6:7::8',
  ])('refuses %p', (text) => {
    expect(parseIPv6(text)).toBeNull();
  });
});

describe('parseIp', () => {
  it('reads both families and URL brackets', () => {
    expect(parseIp('127.0.0.1')?.family).toBe(4);
    expect(parseIp('[::1]')).toEqual({ family: 6, value: 1n });
    expect(parseIp('example.com')).toBeNull();
  });
});

describe('CIDR', () => {
  it('parses ranges and single addresses', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 4, base: 0x0a000000n, prefix: 8 });
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, base: 0x0a000000n, prefix: 8 });
    expect(parseCidr('127.0.0.1')).toEqual({ family: 4, base: 0x7f000001n, prefix: 32 });
    expect(parseCidr('::1')).toEqual({ family: 6, base: 1n, prefix: 128 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, base: 0n, prefix: 0 });
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8/1', 'host/8', '/8'])('refuses %p', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('matches addresses inside, never across families', () => {
    const ip = (text: string) => parseIp(text) ?? { family: 4 as const, value: -1n };
    expect(inCidr(ip('10.255.0.1'), cidr('10.0.0.0/8'))).toBe(true);
    expect(inCidr(ip('11.0.0.1'), cidr('10.0.0.0/8'))).toBe(false);
    expect(inCidr(ip('172.31.255.255'), cidr('172.16.0.0/12'))).toBe(true);
    expect(inCidr(ip('172.32.0.0'), cidr('172.16.0.0/12'))).toBe(false);
    expect(inCidr(ip('1.2.3.4'), cidr('0.0.0.0/0'))).toBe(true);
    expect(inCidr(ip('::1'), cidr('0.0.0.0/0'))).toBe(false);
    expect(inCidr(ip('fd12::1'), cidr('fc00::/7'))).toBe(true);
    expect(inCidr(ip('fe00::1'), cidr('fc00::/7'))).toBe(false);
  });

  it('throws on a bad literal range', () => {
    expect(() => cidr('nope')).toThrow('invalid CIDR nope');
  });
});

describe('formatting and embedded IPv4', () => {
  it('formats both families', () => {
    expect(formatIp({ family: 4, value: 0x7f000001n })).toBe('127.0.0.1');
    expect(formatIp({ family: 6, value: 1n })).toBe('0:0:0:0:0:0:0:1');
  });

  it('extracts the IPv4 of a mapped or 6to4 address', () => {
    const mapped = parseIPv6('::ffff:10.1.2.3');
    const sixToFour = parseIPv6('2002:a01:203::1');
    expect(mapped && formatIp(embeddedIPv4(mapped))).toBe('10.1.2.3');
    expect(sixToFour && formatIp(embeddedIPv4(sixToFour, 80n))).toBe('10.1.2.3');
  });
});
