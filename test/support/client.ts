import { createLonghaulClient, type LonghaulClient } from '../../clients/typescript/src/index.js';
import type { AppProcess } from './app-process.js';

/** The shipped TypeScript client (clients/typescript) pointed at an app under test; its answers go through the contract hook too. */
export function clientFor(app: AppProcess): LonghaulClient {
  return createLonghaulClient({ baseUrl: app.baseUrl });
}
