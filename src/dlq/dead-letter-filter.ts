/** Which dead jobs an operator means: the list's filters, shared by the bulk replay. */
export interface DeadLetterFilter {
  type?: string;
  /** null: every tenant. */
  tenant: string | null;
  /** Case-insensitive text in the last error's message. */
  errorText?: string;
  /** Died at or after / before (finished_at, the database clock). */
  from?: Date;
  to?: Date;
  scheduleId?: string;
  /** true: only parked jobs (replays that died again); false: none of them; unset: both. */
  parked?: boolean;
  /** Leave out dead jobs that already have a replay (what a bulk replay does). */
  notReplayed?: boolean;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause over `jobs j` of a filter, with its parameters (numbered from `params.length + 1`). */
export function deadLetterWhere(filter: DeadLetterFilter, params: unknown[]): string {
  const where = [`j.status = 'DEAD'`];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (filter.type) add((n) => `j.type = $${n}`, filter.type);
  if (filter.tenant !== null) add((n) => `j.tenant = $${n}`, filter.tenant);
  if (filter.errorText) add((n) => `j.last_error ->> 'message' ILIKE '%' || $${n} || '%'`, escapeLike(filter.errorText));
  if (filter.from) add((n) => `j.finished_at >= $${n}`, filter.from);
  if (filter.to) add((n) => `j.finished_at < $${n}`, filter.to);
  if (filter.scheduleId) add((n) => `j.schedule_id = $${n}`, filter.scheduleId);
  const parked = `EXISTS (SELECT 1 FROM job_replays r WHERE r.new_job_id = j.id)`;
  if (filter.parked === true) where.push(parked);
  if (filter.parked === false) where.push(`NOT ${parked}`);
  if (filter.notReplayed) where.push(`NOT EXISTS (SELECT 1 FROM job_replays r WHERE r.dead_job_id = j.id)`);
  return where.join(' AND ');
}
