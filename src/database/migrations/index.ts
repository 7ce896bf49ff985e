import { CreateJobs1764400000000 } from './1764400000000-create-jobs.js';
import { JobOutbox1764400300000 } from './1764400300000-job-outbox.js';

/** Every migration in order. Listed by hand so the ESM build needs no glob loading. */
export const MIGRATIONS = [CreateJobs1764400000000, JobOutbox1764400300000];
