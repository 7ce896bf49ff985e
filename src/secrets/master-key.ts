import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

export const KEY_FILE = 'secrets.key';

/**
 * The key that seals secrets: SECRETS_KEY, or (when unset) one generated once into DATA_DIR with
 * 0600 permissions and read from there on every later start. Several nodes must share SECRETS_KEY.
 */
export function resolveMasterKey(config: Pick<AppConfig, 'secrets' | 'dataDir'>): { key: Buffer; generated: boolean; file: string | null } {
  if (config.secrets.key) return { key: config.secrets.key, generated: false, file: null };
  const file = join(config.dataDir, KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold the base64 of 32 bytes`);
    return { key, generated: false, file };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, generated: true, file };
}
