import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  bodySignatureHex,
  generateSecret,
  isValidSecret,
  liveSecrets,
  secretKey,
  signatureHeaders,
  standardSignature,
} from './signature.js';

// The example from the Standard Webhooks specification.
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SPEC_TIMESTAMP = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';
const SPEC_SIGNATURE = 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('signature scheme', () => {
  it('matches the Standard Webhooks reference signature', () => {
    expect(standardSignature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).toBe(SPEC_SIGNATURE);
  });

  it('produces headers the standardwebhooks package verifies', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ id: 'msg_1', type: 'job.complete', data: { jobId: 'x' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders('msg_1', timestamp, body, [secret]);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(timestamp));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('X-Signature is the hex HMAC-SHA256 of the body keyed by the whole secret string', () => {
    const secret = generateSecret();
    const body = '{"a":1}';
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    expect(bodySignatureHex(secret, body)).toBe(expected);
    expect(signatureHeaders('msg_1', 1, body, [secret])['x-signature']).toBe(`sha256=${expected}`);
  });

  it('during a rotation both secrets sign, newest first, and each verifies on its own', () => {
    const current = generateSecret();
    const previous = generateSecret();
    const body = '{"b":2}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders('msg_2', timestamp, body, [current, previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature'].split(' ')[0]).toBe(`v1,${standardSignature(current, 'msg_2', timestamp, body)}`);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual({ b: 2 });
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual({ b: 2 });
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
    expect(headers['x-signature'].split(' ')).toEqual([`sha256=${bodySignatureHex(current, body)}`, `sha256=${bodySignatureHex(previous, body)}`]);
  });

  it('a changed body, id or timestamp no longer verifies', () => {
    const secret = generateSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders('msg_3', timestamp, '{"c":3}', [secret]);
    const hook = new Webhook(secret);
    expect(() => hook.verify('{"c":4}', { ...headers })).toThrow();
    expect(() => hook.verify('{"c":3}', { ...headers, 'webhook-id': 'msg_4' })).toThrow();
    expect(() => hook.verify('{"c":3}', { ...headers, 'webhook-timestamp': String(timestamp + 1) })).toThrow();
  });

  it('needs at least one secret', () => {
    expect(() => signatureHeaders('msg', 1, '{}', [])).toThrow('no signing secret');
  });
});

describe('secrets', () => {
  it('generates whsec_ + base64 of 32 bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(isValidSecret(secret)).toBe(true);
    expect(generateSecret()).not.toBe(secret);
  });

  it('uses the given byte source', () => {
    expect(generateSecret(() => Buffer.alloc(24, 1))).toBe('whsec_' + Buffer.alloc(24, 1).toString('base64'));
  });

  it.each([
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', true],
    ['whsec_' + Buffer.alloc(64).toString('base64'), true],
    ['whsec_' + Buffer.alloc(23).toString('base64'), false],
    ['whsec_' + Buffer.alloc(65).toString('base64'), false],
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', false],
    ['whsec_not base64!', false],
    ['whsec_abc', false],
    ['whsec_', false],
  ])('isValidSecret(%p) is %p', (secret, valid) => {
    expect(isValidSecret(secret)).toBe(valid);
  });

  it('keeps the previous secret only until its overlap ends', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(liveSecrets('new', 'old', new Date(now.getTime() + 1000), now)).toEqual(['new', 'old']);
    expect(liveSecrets('new', 'old', new Date(now.getTime() - 1), now)).toEqual(['new']);
    expect(liveSecrets('new', 'old', now, now)).toEqual(['new']);
    expect(liveSecrets('new', null, null, now)).toEqual(['new']);
  });
});
