import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobHandlerFor } from '../workers/job-handler.decorator.js';
import { jsonOutput, type JobContext, type JobHandler, type JobOutput } from '../workers/job-handler.js';
import { SleepPayloadDto } from './sleep-payload.dto.js';

export class PlannedFailure extends Error {
  constructor(attempt: number, planned: number) {
    super(`planned failure ${attempt} of ${planned}`);
    this.name = 'PlannedFailure';
  }
}

/**
 * A diagnostic job for integrations and tests: waits, reports progress, fails on request, echoes a result
 * (by default one naming the attempt that produced it, so a test can tell whose result was kept).
 */
@Injectable()
@JobHandlerFor({ type: 'sleep', payload: SleepPayloadDto, description: 'Diagnostic: sleeps ms in steps, optionally failing the first attempts' })
export class SleepHandler implements JobHandler<SleepPayloadDto> {
  async handle(payload: SleepPayloadDto, context: JobContext): Promise<JobOutput> {
    const steps = payload.steps ?? 1;
    const stepMs = (payload.ms ?? 0) / steps;
    for (let step = 1; step <= steps; step++) {
      await sleep(stepMs, undefined, payload.ignoreAbort ? {} : { signal: context.signal });
      context.progress((step / steps) * 100, `step ${step}/${steps}`);
    }
    const failAttempts = payload.failAttempts ?? 0;
    if (context.attempt <= failAttempts) throw new PlannedFailure(context.attempt, failAttempts);
    return jsonOutput(payload.result ?? { sleptMs: payload.ms ?? 0, steps, jobId: context.jobId, attempt: context.attempt });
  }
}
