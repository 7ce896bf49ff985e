import { QueryRunnerAlreadyReleasedError, type DataSource, type EntityManager } from 'typeorm';
import { PreparedStatement } from './prepared-statement.js';

/** A stand-in pg client that records what it was asked and answers or fails as told. */
function client(answer: () => Promise<{ rows: unknown[] }>) {
  const calls: unknown[] = [];
  const releases: unknown[] = [];
  return {
    calls,
    releases,
    query: (config: unknown) => {
      calls.push(config);
      return answer();
    },
    release: (destroy?: unknown) => void releases.push(destroy),
  };
}

const onPool = (pgClient: ReturnType<typeof client>) => ({ driver: { master: { connect: () => Promise.resolve(pgClient) } } }) as unknown as DataSource;
const sqlError = (code: string) => Object.assign(new Error(`error ${code}`), { code });

describe('PreparedStatement', () => {
  const statement = new PreparedStatement<{ id: number }>('test.one', 'SELECT id FROM t WHERE id = $1');

  it('runs as a named statement on a pooled connection and hands the connection back', async () => {
    const pg = client(() => Promise.resolve({ rows: [{ id: 1 }] }));
    await expect(statement.rows(onPool(pg), [1])).resolves.toEqual([{ id: 1 }]);
    expect(pg.calls).toEqual([{ name: 'test.one', text: 'SELECT id FROM t WHERE id = $1', values: [1] }]);
    expect(pg.releases).toEqual([undefined]);
  });

  it('keeps a pooled connection after an ordinary SQL error (its prepared statements stay)', async () => {
    const pg = client(() => Promise.reject(sqlError('23505')));
    await expect(statement.rows(onPool(pg), [1])).rejects.toThrow('error 23505');
    expect(pg.releases).toEqual([undefined]);
  });

  it('closes a pooled connection that broke', async () => {
    for (const broken of [sqlError('57P01'), sqlError('ECONNRESET'), new Error('Query read timeout')]) {
      const pg = client(() => Promise.reject(broken));
      await expect(statement.rows(onPool(pg), [1])).rejects.toBe(broken);
      expect(pg.releases).toEqual([broken]);
    }
  });

  it("runs on a transaction's own connection", async () => {
    const pg = client(() => Promise.resolve({ rows: [{ id: 2 }] }));
    const tx = { queryRunner: { isReleased: false, connect: () => Promise.resolve(pg) } } as unknown as EntityManager;
    await expect(statement.rows(tx, [2])).resolves.toEqual([{ id: 2 }]);
    expect(pg.releases).toEqual([]); // the transaction releases its connection, not the statement
  });

  it('refuses a transaction whose query runner was released (its connection may serve another transaction)', async () => {
    const pg = client(() => Promise.resolve({ rows: [] }));
    const tx = { queryRunner: { isReleased: true, connect: () => Promise.resolve(pg) } } as unknown as EntityManager;
    await expect(statement.rows(tx, [3])).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    expect(pg.calls).toEqual([]);
  });

  it('runs unprepared on anything else that can query', async () => {
    const seen: unknown[] = [];
    const plain = { query: (text: string, values: unknown[]) => (seen.push([text, values]), Promise.resolve([{ id: 4 }])) } as unknown as Pick<EntityManager, 'query'>;
    await expect(statement.rows(plain, [4])).resolves.toEqual([{ id: 4 }]);
    expect(seen).toEqual([['SELECT id FROM t WHERE id = $1', [4]]]);
  });
});
