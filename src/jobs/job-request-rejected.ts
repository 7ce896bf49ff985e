import { ProblemException } from '../common/problem/problem.exception.js';

/**
 * A job request that can never become a job as it stands — an unknown type, an invalid payload, a
 * refused callback URL, an idempotency key reused for another request. The same answer on every
 * transport: a 4xx problem over HTTP, a dead letter for a Kafka message. `code` names the reason (the problem type's slug, e.g. `unknown-job-type`).
 */
export class JobRequestRejected extends ProblemException {
  readonly code: string;

  constructor(problem: ProblemException) {
    const { type, title, status, detail, ...extensions } = problem.problem;
    const slug = type.split('/').pop() ?? 'rejected';
    super(status, slug, title, detail, extensions);
    this.code = slug;
  }
}

/** Runs a validation step; a client-error problem it raises becomes a JobRequestRejected. */
export async function rejectingRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemException && !(error instanceof JobRequestRejected) && error.getStatus() < 500) {
      throw new JobRequestRejected(error);
    }
    throw error;
  }
}
