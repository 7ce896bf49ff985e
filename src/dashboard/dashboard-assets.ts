import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The dashboard ships as plain files in `src/dashboard/public` (no build step). Found from the package
 * root at run time, so `dist/` (tsc output) and `src/` (tests, watch mode) serve the same files.
 */
export function findPublicDir(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'dashboard', 'public');
    if (existsSync(join(dir, 'package.json')) && existsSync(join(candidate, 'index.html')))
      return candidate;
    if (dirname(dir) === dir)
      throw new Error(
        `dashboard files not found above ${start} (expected src/dashboard/public/index.html)`,
      );
  }
}

/** Reads every file once at boot: only these names are ever served, so no path from a URL reaches the disk. */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (!entry.isFile() || !contentType) continue;
    const body = readFileSync(join(dir, entry.name));
    assets.set(entry.name, {
      body,
      contentType,
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
    });
  }
  return assets;
}
