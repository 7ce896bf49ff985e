import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. */
const REPORTED = new Set<number>([0, 1]);

/** The checked-in AsyncAPI document (equal to the served one: test/api-contract.e2e-spec.ts) is valid AsyncAPI 3.0. */
describe('docs/asyncapi.json', () => {
  const text = readFileSync(resolve('docs/asyncapi.json'), 'utf8');

  it('parses with the AsyncAPI parser with no error and no warning', async () => {
    const { document, diagnostics } = await new Parser().parse(text);
    const problems = diagnostics.filter((diagnostic) => REPORTED.has(Number(diagnostic.severity)));
    expect(problems.map((problem) => `${problem.code}: ${problem.message} at ${problem.path.join('.')}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('describes the jobs topic, its dead letter topic with its headers, the SSE events and the webhook events', async () => {
    const { document } = await new Parser().parse(text);
    const channels = Object.fromEntries(document!.channels().all().map((channel) => [channel.id(), channel]));
    expect(channels.jobRequests.address()).toBe('report-jobs');
    expect(channels.deadLetters.address()).toBe('report-jobs.DLT');
    const deadJob = channels.deadLetters.messages().all().find((message) => message.id() === 'DeadJobRecord');
    expect(Object.keys(deadJob!.headers()!.properties() ?? {})).toEqual(
      expect.arrayContaining(['x-dlt-code', 'x-dlt-reason', 'x-dlt-original-topic', 'x-dlt-original-partition', 'x-dlt-original-offset']),
    );
    expect(channels.jobProgress.messages().all().map((message) => message.name())).toEqual(['snapshot', 'progress', 'status']);
    expect(channels.webhookEvents.messages().all().map((message) => message.name())).toEqual(['job.complete', 'job.failed', 'job.dead', 'job.cancelled', 'job.expired', 'webhook.test', 'queue.alert']);
  });
});
