import { randomBytes } from 'node:crypto';
import { keyId, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('seals with a fresh IV each time and opens again', () => {
    const box = new SecretBox(newKey);
    const a = box.seal(secret, 'webhook');
    const b = box.seal(secret, 'webhook');
    expect(a).not.toBe(b);
    expect(a).not.toContain('MfKQ9r8');
    expect(a.startsWith(`lh1.${keyId(newKey)}.`)).toBe(true);
    expect(box.open(a, 'webhook')).toBe(secret);
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(SecretBox.isSealed(secret)).toBe(false);
  });

  it('opens what an older key sealed once that key is listed, and tells it is not current', () => {
    const sealedByOld = new SecretBox(oldKey).seal(secret, 'webhook');
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(sealedByOld, 'webhook')).toBe(secret);
    expect(rotated.isCurrent(sealedByOld)).toBe(false);
    expect(rotated.isCurrent(rotated.seal(secret, 'webhook'))).toBe(true);
    expect(() => new SecretBox(newKey).open(sealedByOld, 'webhook')).toThrow(/unknown key .*SECRETS_PREVIOUS_KEYS/);
  });

  it('refuses tampered text, another purpose and other keys', () => {
    const box = new SecretBox(newKey);
    const sealed = box.seal(secret, 'webhook');
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
    expect(() => box.open(flipped, 'webhook')).toThrow();
    expect(() => box.open(sealed, 'other')).toThrow();
    expect(() => box.open('lh1.zz.abc', 'webhook')).toThrow('not a sealed secret');
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});
