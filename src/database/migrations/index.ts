import { CreateJobs1764400000000 } from './1764400000000-create-jobs.js';

/** Every migration in order. Listed by hand so the ESM build needs no glob loading. */
export const MIGRATIONS = [CreateJobs1764400000000];
