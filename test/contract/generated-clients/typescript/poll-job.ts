/**
 * A program an integrator would write against the typescript-fetch client OpenAPI Generator makes from
 * docs/openapi.json: submit, poll the status until the job is finished, fetch the result — generated
 * methods only. Prints what it got as JSON; test/generated-clients.e2e-spec.ts checks it.
 */
import { Configuration, JobsApi, JobStatus, ReportsApi, type JobStatusView } from '../target/typescript-fetch/index.js';

const FINISHED: readonly string[] = [JobStatus.Completed, JobStatus.Dead, JobStatus.Cancelled];

async function pollUntilFinished(jobs: JobsApi, id: string): Promise<JobStatusView> {
  for (;;) {
    const status = await jobs.getJobStatus({ id });
    if (FINISHED.includes(status.status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(basePath: string): Promise<void> {
  const configuration = new Configuration({ basePath });
  const jobs = new JobsApi(configuration);
  const reports = new ReportsApi(configuration);

  const accepted = await jobs.submitJob({ jobSubmission: { type: 'sleep', payload: { ms: 300, steps: 3, result: { from: 'typescript-fetch' } } } });
  const status = await pollUntilFinished(jobs, accepted.jobId);
  const result: unknown = await jobs.getJobResult({ id: accepted.jobId });

  const now = Date.now();
  const report = await reports.requestReport({ reportRequest: { from: new Date(now - 3_600_000), to: new Date(now + 60_000) } });
  const reportStatus = await pollUntilFinished(jobs, report.jobId);
  const activity = await reports.getReportResult({ id: report.jobId });

  process.stdout.write(JSON.stringify({ accepted, status, result, reportStatus, reportTotals: activity.totals, groupBy: activity.groupBy }));
}

main(process.argv[2] ?? 'http://127.0.0.1:3000').catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
