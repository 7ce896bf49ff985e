import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Identifies this process in leases and locks: host, pid and a random suffix (pids repeat across restarts). */
export const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
