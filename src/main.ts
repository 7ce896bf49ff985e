import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap/create-app.js';
import { jsonLogger } from './bootstrap/json-logger.js';
import { resolveDatabase } from './bootstrap/resolve-database.js';
import { ConfigValidationError, loadConfig } from './config/load-config.js';
import { migrate } from './database/migrate.js';
import { openToTheNetwork } from './auth/exposure-warning.js';

async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(jsonLogger(config.logLevel));
  const logger = new Logger('Bootstrap');
  const database = await resolveDatabase(config);
  const applied = await migrate(database.target);
  if (applied.length > 0) logger.log({ msg: 'migrations applied', migrations: applied });

  const app = await createApp(config, database.target);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal });
    await app.close();
    await database.stop();
    process.exit(0);
  };
  // Nest's own shutdown hooks are not enabled for signals: we close the app, then the embedded database.
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  await app.listen({ port: config.port, host: config.host });
  logger.log({
    msg: 'longhaul is up',
    url: await app.getUrl(),
    profile: config.profile,
    role: config.appRole,
    docs: '/docs',
  });
  if (openToTheNetwork(config)) {
    logger.warn({
      msg: 'authentication is off (API_KEYS unset) and the API listens beyond loopback: anyone who reaches this port is an admin',
      host: config.host,
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`longhaul failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
