import { IllegalTransitionError } from './domain/job-state-machine.js';
import { JobStatus } from './domain/job-status.js';
import { transitionSql } from './transition-sql.js';

describe('transitionSql', () => {
  it('guards the update with the expected statuses and records history', () => {
    const sql = transitionSql({ to: JobStatus.CANCELLED, from: [JobStatus.QUEUED, JobStatus.RUNNING], where: 'id = $1' });
    expect(sql).toContain(`WHERE status IN ('QUEUED', 'RUNNING') AND (id = $1)`);
    expect(sql).toContain(`status = 'CANCELLED'`);
    expect(sql).toContain('INSERT INTO job_transitions');
    expect(sql).toContain('FOR NO KEY UPDATE');
  });

  it('adds ordering, limit and skip-locked for batch claims', () => {
    const sql = transitionSql({
      to: JobStatus.RUNNING,
      from: [JobStatus.QUEUED],
      where: 'run_at <= now()',
      order: 'priority DESC',
      limit: '$1',
      skipLocked: true,
    });
    expect(sql).toMatch(/ORDER BY priority DESC\s+LIMIT \$1\s+FOR NO KEY UPDATE SKIP LOCKED/);
  });

  it('refuses to build an illegal transition', () => {
    expect(() => transitionSql({ to: JobStatus.RUNNING, from: [JobStatus.COMPLETED], where: 'true' })).toThrow(
      IllegalTransitionError,
    );
  });
});

describe('transitionSql job events', () => {
  it('marks moves into announced states as pending effects, with the error as detail', () => {
    const sql = transitionSql({ to: JobStatus.DEAD, from: [JobStatus.RUNNING], where: 'id = $1' });
    expect(sql).toMatch(/SELECT id, previous_status, status, attempts, NULL, last_error, true, NULL\s+FROM moved/);
  });

  it('leaves other moves without effects', () => {
    const sql = transitionSql({ to: JobStatus.RUNNING, from: [JobStatus.QUEUED], where: 'id = $1' });
    expect(sql).toMatch(/SELECT id, previous_status, status, attempts, NULL, NULL, false, NULL\s+FROM moved/);
  });

  it('stores the diagnostics expression of a move (worker, stack) apart from the public error', () => {
    const sql = transitionSql({ to: JobStatus.RUNNING, from: [JobStatus.QUEUED], where: 'id = $1', diagnostics: `jsonb_build_object('worker', locked_by)` });
    expect(sql).toMatch(/attempts, NULL, NULL, false, jsonb_build_object\('worker', locked_by\)\s+FROM moved/);
  });
});

describe('transitionSql batch moves', () => {
  it('puts the input first and joins it to the moving rows', () => {
    const sql = transitionSql({
      to: JobStatus.COMPLETED,
      from: [JobStatus.RUNNING],
      input: 'SELECT 1 AS id',
      where: 'id IN (SELECT id FROM input)',
      set: 'result_ref = i.result_ref',
    });
    expect(sql).toMatch(/WITH input AS \(SELECT 1 AS id\), target AS/);
    expect(sql).toContain('FROM target t JOIN input i ON i.id = t.id WHERE j.id = t.id');
  });
});
