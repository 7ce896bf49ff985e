import { randomBytes } from 'node:crypto';
import { SecretBox } from '../secrets/secret-box.js';
import { WebhookSecrets } from './webhook-secrets.js';

/** A real SecretBox that counts how often it really opens something. */
class CountingBox extends SecretBox {
  opens = 0;
  override open(sealed: string, purpose: string): string {
    this.opens += 1;
    return super.open(sealed, purpose);
  }
}

describe('WebhookSecrets', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

  it('opens a sealed secret once, however many deliveries it signs', () => {
    const box = new CountingBox(randomBytes(32));
    const secrets = new WebhookSecrets(box);
    const sealed = secrets.seal(secret);
    for (let i = 0; i < 5; i += 1) expect(secrets.open(sealed)).toBe(secret);
    expect(box.opens).toBe(1);
  });

  it('opens a re-sealed or rotated secret anew (its sealed text differs)', () => {
    const box = new CountingBox(randomBytes(32));
    const secrets = new WebhookSecrets(box);
    const rotated = 'whsec_rotated000000000000000000000000';
    expect(secrets.open(secrets.seal(secret))).toBe(secret);
    expect(secrets.open(secrets.seal(rotated))).toBe(rotated);
    expect(box.opens).toBe(2);
  });

  it('keeps at most 1000 opened secrets, dropping the oldest first', () => {
    const box = new CountingBox(randomBytes(32));
    const secrets = new WebhookSecrets(box);
    const sealed = Array.from({ length: 1001 }, (_, i) => secrets.seal(`whsec_${i}`));
    for (const text of sealed) secrets.open(text);
    expect(box.opens).toBe(1001);
    expect(secrets.open(sealed[1000])).toBe('whsec_1000'); // still kept
    expect(box.opens).toBe(1001);
    expect(secrets.open(sealed[0])).toBe('whsec_0'); // dropped: opened again
    expect(box.opens).toBe(1002);
  });

  it('still refuses a tampered secret, and does not remember it', () => {
    const box = new CountingBox(randomBytes(32));
    const secrets = new WebhookSecrets(box);
    const sealed = secrets.seal(secret);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => secrets.open(tampered)).toThrow();
    expect(() => secrets.open(tampered)).toThrow();
    expect(box.opens).toBe(2);
  });

  it('answers a secret stored before encryption at rest as it is', () => {
    const box = new CountingBox(randomBytes(32));
    expect(new WebhookSecrets(box).open(secret)).toBe(secret);
    expect(box.opens).toBe(0);
  });
});
