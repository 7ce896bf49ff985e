import { kafkaMessageTenant } from './kafka-tenant-header.js';

describe('kafkaMessageTenant', () => {
  it('reads the x-tenant header, or falls back to the default', () => {
    expect(kafkaMessageTenant({ 'x-tenant': Buffer.from('acme') }, 'default')).toBe('acme');
    expect(kafkaMessageTenant({ 'x-tenant': 'acme' }, 'default')).toBe('acme');
    expect(kafkaMessageTenant({}, 'default')).toBe('default');
    expect(kafkaMessageTenant(undefined, 'fallback')).toBe('fallback');
  });

  it.each([
    ['empty', Buffer.from('')],
    ['the cross-tenant marker', Buffer.from('*')],
    ['a NUL', Buffer.from('ac\u0000me')],
    ['too long', Buffer.from('a'.repeat(65))],
    ['two values', [Buffer.from('a'), Buffer.from('b')]],
  ])('refuses %s as a 400 problem (the message goes to the DLT)', (_label, value) => {
    expect(() => kafkaMessageTenant({ 'x-tenant': value }, 'default')).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });
});
