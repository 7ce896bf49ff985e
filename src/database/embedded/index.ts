export {
  EmbeddedPostgresServer,
  type EmbeddedPostgresOptions,
} from './embedded-postgres-server.js';
