import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_FILE, resolveMasterKey } from './master-key.js';

describe('resolveMasterKey', () => {
  it('uses SECRETS_KEY when set', () => {
    const key = randomBytes(32);
    expect(resolveMasterKey({ dataDir: '/nonexistent', secrets: { key, previousKeys: [] } })).toEqual({ key, generated: false, file: null });
  });

  it('generates a key once into DATA_DIR, readable only by its owner, and reads it back later', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'longhaul-key-'));
    const first = resolveMasterKey({ dataDir, secrets: { key: undefined, previousKeys: [] } });
    expect(first.generated).toBe(true);
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(join(dataDir, KEY_FILE), 'utf8').trim(), 'base64')).toEqual(first.key);
    const again = resolveMasterKey({ dataDir, secrets: { key: undefined, previousKeys: [] } });
    expect(again).toMatchObject({ generated: false });
    expect(again.key).toEqual(first.key);
  });
});
