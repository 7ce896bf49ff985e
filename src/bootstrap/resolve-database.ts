import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgresServer } from '../database/embedded/embedded-postgres-server.js';
import type { DatabaseTarget } from '../database/typeorm-options.js';

export interface ResolvedDatabase {
  target: DatabaseTarget;
  stop(): Promise<void>;
}

/** DATABASE_URL when given; otherwise a real PostgreSQL started from the embedded-postgres binaries. */
export async function resolveDatabase(config: AppConfig): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    return { target: { url: config.databaseUrl, schema: config.databaseSchema }, stop: () => Promise.resolve() };
  }
  const logger = new Logger('EmbeddedPostgres');
  const server = new EmbeddedPostgresServer({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    adoptRunningServer: true,
    log: (message, fields) => logger.log({ msg: message, ...fields }),
  });
  const { url } = await server.start();
  return { target: { url, schema: config.databaseSchema }, stop: () => server.stop() };
}
