import type { AppConfig } from '../config/app-config.js';

/** How interrupted attempts (lost lease, shutdown release) back off, and how many a job may have. */
export interface InterruptionPolicy {
  maxInterruptions: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** The same backoff curve as failed attempts; its own cap (JOB_MAX_INTERRUPTIONS). */
export function interruptionPolicy(config: AppConfig): InterruptionPolicy {
  return {
    maxInterruptions: config.reliability.maxInterruptions,
    backoffBaseMs: config.retryBaseDelayMs,
    backoffMaxMs: config.retryMaxDelayMs,
  };
}
