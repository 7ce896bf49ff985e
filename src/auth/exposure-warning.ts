import ipaddr from 'ipaddr.js';
import type { AppConfig } from '../config/app-config.js';

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

/** Authentication off while listening beyond loopback: anyone who can reach the port is an admin. */
export function openToTheNetwork(config: Pick<AppConfig, 'apiKeys' | 'host'>): boolean {
  return !config.apiKeys.enabled && !isLoopback(config.host);
}
