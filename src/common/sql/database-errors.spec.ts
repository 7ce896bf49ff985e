import { QueryFailedError } from 'typeorm';
import { classifyDatabaseError } from './database-errors.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'unavailable'],
    ['admin shutdown', pgError('57P01'), 'unavailable'],
    ['starting up', pgError('57P03'), 'unavailable'],
    ['connection failure', pgError('08006'), 'unavailable'],
    ['too many connections', pgError('53300'), 'unavailable'],
    ['deadlock', pgError('40P01'), 'unavailable'],
    ['pool timeout', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['terminated', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['NUL in text', pgError('22P05', 'unsupported Unicode escape sequence'), 'rejected-data'],
    ['bad encoding', pgError('22021'), 'rejected-data'],
    ['unique violation', pgError('23505'), 'rejected-data'],
    ['index row too big', pgError('54000'), 'rejected-data'],
    ['syntax error (a bug)', pgError('42601'), 'other'],
    ['plain error', new Error('boom'), 'other'],
  ])('%s → %s', (_name, error, kind) => {
    expect(classifyDatabaseError(error)).toBe(kind);
  });

  it('reads the code through TypeORM’s wrapper', () => {
    const wrapped = new QueryFailedError('SELECT 1', [], pgError('22P05'));
    expect(classifyDatabaseError(wrapped)).toBe('rejected-data');
  });
});
