import { Injectable } from '@nestjs/common';
import type { TimeLimits } from '../domain/time-limits.js';

/** A class-validator class: validates a payload (HTTP, Kafka, scheduler, worker) and documents it (OpenAPI). */
export type PayloadClass = new () => object;

/** What a job type produces when it completes. */
export interface JobResultDescription {
  /** The class whose OpenAPI schema describes the JSON result, when the type answers JSON. */
  json?: new () => object;
  /** Other content types the result may have (e.g. text/csv), besides application/json. */
  otherContentTypes?: readonly string[];
}

export interface JobTypeDescriptor {
  /** The job type, e.g. 'report'. */
  readonly type: string;
  readonly payload: PayloadClass;
  readonly result?: JobResultDescription;
  /** One line for the API docs. */
  readonly description?: string;
  /** The type's run timeout and queue-wait TTL, for jobs that ask for none. */
  readonly limits?: TimeLimits;
  /** Started by longhaul's own features only: not submittable, not in the API contract. */
  readonly internal?: boolean;
  /** The type's own check of a submission (after the payload validated): throws a problem to refuse it. */
  readonly admit?: (payload: object, submission: { tenant: string }) => Promise<void>;
}

/**
 * The catalog of job types this deployment knows: filled at boot by whoever registers handlers, read by
 * submission validation, the scheduler and the API contract. It knows nothing about how jobs are run.
 */
@Injectable()
export class JobTypes {
  private readonly byType = new Map<string, JobTypeDescriptor>();

  register(descriptor: JobTypeDescriptor): void {
    if (this.byType.has(descriptor.type)) {
      throw new Error(`two handlers claim the job type "${descriptor.type}"; each type needs exactly one`);
    }
    this.byType.set(descriptor.type, descriptor);
  }

  get(type: string): JobTypeDescriptor | undefined {
    return this.byType.get(type);
  }

  /** Sorted by type, so everything built from the catalog (the spec, 422 answers) is stable. */
  all(): JobTypeDescriptor[] {
    return [...this.byType.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }

  /** The types clients may submit, as the API contract lists them. */
  submittable(): JobTypeDescriptor[] {
    return this.all().filter((descriptor) => !descriptor.internal);
  }

  /** The names of the submittable types (what a 422 lists). */
  types(): string[] {
    return this.submittable().map((descriptor) => descriptor.type);
  }
}
