import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_METADATA } from './access.decorator.js';

const SRC = resolve(import.meta.dirname, '..');

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

/** RolesGuard refuses a route without a rule at run time; this finds one before it ships. */
describe('every route declares who may call it', () => {
  it('has @Roles or @Public on each handler or its controller', async () => {
    const missing: string[] = [];
    let routes = 0;
    for (const file of controllerFiles(SRC)) {
      const module = (await import(file)) as Record<string, unknown>;
      for (const exported of Object.values(module)) {
        if (typeof exported !== 'function' || Reflect.getMetadata(PATH_METADATA, exported) === undefined) continue;
        const prototype = (exported as { prototype: Record<string, unknown> }).prototype;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
          routes += 1;
          const rule = Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, exported);
          if (!rule) missing.push(`${relative(SRC, file)}: ${exported.name}.${name}`);
        }
      }
    }
    expect(routes).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
