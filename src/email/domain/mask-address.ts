/**
 * An address as logs may show it: the first character of the local part and the domain
 * (`o***@example.test`), so an operator can tell deliveries apart without logs holding addresses.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}
