import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { AllowList, checkAddresses } from './address-policy.js';
import { refusalReason } from './url-policy.js';
import type { HostResolver } from './host-resolver.js';

export const REFUSED_CODE = 'EWEBHOOKREFUSED';

/** Raised from inside the socket's DNS step, so no connection is ever opened to a refused address. */
export class RefusedAddressError extends Error {
  readonly code = REFUSED_CODE;
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect: resolves the name afresh, refuses it if any answer is not
 * public (or allow-listed), and hands the socket exactly the addresses it checked — so the
 * connection is pinned to what passed, with no second lookup an attacker could race.
 */
export function guardedLookup(allow: AllowList, resolve: HostResolver) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: LookupCallback): void => {
    const wanted = typeof options === 'number' ? { family: options } : options;
    resolve(hostname)
      .then((resolved) => {
        if (!allow.allowsHost(hostname)) {
          const verdict = checkAddresses(
            resolved.map((entry) => entry.address),
            allow,
          );
          if (!verdict.allowed) {
            callback(new RefusedAddressError(`${hostname} resolves to ${refusalReason(verdict.address, verdict.kind)}`), '', 0);
            return;
          }
        }
        const family = wanted.family === 'IPv4' ? 4 : wanted.family === 'IPv6' ? 6 : wanted.family;
        const usable = family ? resolved.filter((entry) => entry.family === family) : resolved;
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no address of the wanted family`);
          error.code = 'ENOTFOUND';
          callback(error, '', 0);
          return;
        }
        if ('all' in wanted && wanted.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}
