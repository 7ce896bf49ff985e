import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './load-config.js';

const root = resolve(import.meta.dirname, '../..');

function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

describe('.env.example', () => {
  const example = parseEnvFile(readFileSync(resolve(root, '.env.example'), 'utf8'));

  it('lists every setting the config reads', () => {
    const source = readdirSync(resolve(root, 'src/config'))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => readFileSync(resolve(root, 'src/config', file), 'utf8'))
      .join('\n');
    const read = new Set([...source.matchAll(/(?:read\.\w+\(|env\.)'?([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]));
    expect([...read].filter((name) => !(name in example))).toEqual([]);
    expect(read.size).toBeGreaterThan(40);
  });

  it('shows the defaults: loading it gives the same configuration as an empty environment', () => {
    const fromExample = loadConfig(example);
    const fromNothing = loadConfig({});
    const comparable = (config: ReturnType<typeof loadConfig>) => ({ ...config, apiKeys: config.apiKeys.enabled });
    expect(comparable(fromExample)).toEqual(comparable(fromNothing));
  });
});
