import { KafkaProbe } from '../../support/kafka.js';
import { expectExactlyOnce, verdictFigures } from '../support/assertions.js';
import { ChaosCluster } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitAll } from '../support/load.js';
import type { ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

export const missingHandler: ChaosScenario = {
  name: 'missing-handler',
  title: 'a worker without the type’s handler in the group: none buried, all run, no attempt consumed',
  timeoutMs: () => 180_000,
  async run(infra, scale, figures) {
    const { jobs } = scale.missingHandler;
    const cluster = await ChaosCluster.create(infra, 'handler');
    const kafka = new KafkaProbe(infra.brokers);
    try {
      const [api] = await cluster.startAll([
        { name: 'api', role: 'api' },
        { name: 'worker-without-sleep', role: 'worker', env: { SLEEP_JOB_ENABLED: 'false' } },
        { name: 'worker-with-sleep', role: 'worker' },
      ]);
      // Both workers own partitions before any job exists, so the one without the handler is offered some.
      const members = await kafka.waitForGroup(cluster.groupId, 2);
      figures({ partitionsPerMember: Object.fromEntries(members.map((member, i) => [`member${i}`, member.partitions.length])) });

      const submitted = await submitAll(api.baseUrl, Array.from({ length: jobs }, () => sleepJob(300)), 8);
      expect(submitted.byStatus).toEqual({ 202: jobs });
      const settled = await settle(cluster.db, submitted.accepted, { timeoutMs: 90_000, stallMs: 20_000 });
      const verdict = judgeExactlyOnce(submitted.accepted, await ledgerOf(cluster.db, submitted.accepted));
      const [{ buried, failed, extraAttempts }] = await cluster.db.query<{ buried: number; failed: number; extraAttempts: number }>(
        `SELECT count(*) FILTER (WHERE to_status = 'DEAD')::int AS buried,
                count(*) FILTER (WHERE to_status = 'FAILED')::int AS failed,
                count(*) FILTER (WHERE to_status = 'RUNNING' AND attempt > 1)::int AS "extraAttempts"
         FROM job_transitions WHERE job_id = ANY($1::uuid[])`,
        [submitted.accepted],
      );
      figures({ ...verdictFigures(verdict), buried, failedAttempts: failed, extraAttempts, settleSeconds: settled.seconds });

      expect({ buried, failedAttempts: failed, attemptsBeyondTheFirst: extraAttempts }).toEqual({ buried: 0, failedAttempts: 0, attemptsBeyondTheFirst: 0 });
      expectExactlyOnce(verdict);
    } finally {
      await kafka.close();
      await cluster.close();
    }
  },
};
