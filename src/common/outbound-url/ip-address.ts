import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * A literal address, strictly: IPv4 only as four decimal parts (so "0x7f.1" or "010.0.0.1" are not
 * silently read as something else), IPv6 in its RFC 4291 forms without a zone, optionally in URL
 * brackets. Parsing and range data come from ipaddr.js.
 */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (!bare.includes('%') && ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

export function formatIp(address: IpAddress): string {
  return address.toString();
}

/** "10.0.0.0/8", "fd00::/8", or a single address (a /32 or /128). */
export function parseCidr(text: string): [IpAddress, number] | null {
  const trimmed = text.trim();
  if (!trimmed.includes('/')) {
    const single = parseIp(trimmed);
    return single ? [single, single.kind() === 'ipv4' ? 32 : 128] : null;
  }
  const [addressText = '', prefixText = ''] = trimmed.split('/');
  if (!parseIp(addressText) || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
  try {
    return ipaddr.parseCIDR(trimmed);
  } catch {
    return null;
  }
}
