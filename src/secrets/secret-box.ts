import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'lh1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^lh1\.([0-9a-f]{16})\.([A-Za-z0-9_-]+)$/;

/** A key's id: the first 8 bytes of its SHA-256, stored beside each ciphertext so rotation knows which key opens it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM for small secrets at rest. `seal` uses the current key; `open` any key it knows (the
 * current one and those listed as previous), found by the key id in the text. The purpose is bound
 * as associated data, so a ciphertext made for one purpose does not open as another.
 * Text form: `lh1.<key id>.<base64url(iv | tag | ciphertext)>`.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(
    private readonly current: Buffer,
    previous: readonly Buffer[] = [],
  ) {
    if (current.length !== 32 || previous.some((key) => key.length !== 32)) throw new Error('AES-256 keys are 32 bytes');
    this.currentKeyId = keyId(current);
    this.keys = new Map([...previous, current].map((key) => [keyId(key), key]));
  }

  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${this.currentKeyId}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string, purpose: string): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new Error('not a sealed secret');
    const key = this.keys.get(match[1] ?? '');
    if (!key) throw new Error(`secret sealed with unknown key ${match[1]}: list that key in SECRETS_PREVIOUS_KEYS`);
    const raw = Buffer.from(match[2] ?? '', 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  static isSealed(text: string): boolean {
    return SEALED.test(text);
  }

  /** Sealed with the current key: nothing to re-seal. */
  isCurrent(text: string): boolean {
    return SEALED.exec(text)?.[1] === this.currentKeyId;
  }
}
