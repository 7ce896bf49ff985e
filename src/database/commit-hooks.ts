import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/**
 * Work to do once a transaction has committed (a wake-up, a hand-off): the one subscriber on the data
 * source, registered here. Not with a NOTIFY inside the transaction: PostgreSQL serialises the commits
 * of notifying transactions (a global lock held until the commit is flushed), which would cap
 * concurrent writers at one per WAL flush. Outside a transaction the work runs at once.
 */
@Injectable()
export class CommitHooks {
  private readonly pending = new WeakMap<QueryRunner, Array<() => void>>();

  constructor(db: DataSource) {
    db.subscribers.push({
      afterTransactionCommit: ({ queryRunner }) => {
        if (queryRunner.isTransactionActive) return; // a savepoint, not the commit
        const hooks = this.pending.get(queryRunner);
        this.pending.delete(queryRunner);
        for (const hook of hooks ?? []) hook();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
      },
    });
  }

  /** Runs `hook` after `tx` commits (dropped if it rolls back); at once when `tx` is not a transaction. Same hook, same tx: once. */
  afterCommit(tx: Pick<EntityManager, 'query'>, hook: () => void): void {
    const runner = (tx as Partial<EntityManager>).queryRunner;
    if (!runner?.isTransactionActive) {
      hook();
      return;
    }
    const hooks = this.pending.get(runner) ?? [];
    if (!hooks.includes(hook)) hooks.push(hook);
    this.pending.set(runner, hooks);
  }
}
