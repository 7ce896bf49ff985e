import { expectExactlyOnce, verdictFigures } from '../support/assertions.js';
import { ChaosCluster } from '../support/cluster.js';
import { judgeExactlyOnce, ledgerOf } from '../support/ledger.js';
import { sleepJob, submitAll, tally } from '../support/load.js';
import { between, type ChaosScenario } from '../support/scenario.js';
import { settle } from '../support/settle.js';

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export const kafkaRestart: ChaosScenario = {
  name: 'kafka-restart',
  title: 'Kafka broker restart under load: every submission accepted, 0 accepted jobs lost',
  timeoutMs: () => 360_000,
  async run(infra, scale, figures) {
    const { jobs } = scale.kafkaRestart;
    const cluster = await ChaosCluster.create(infra, 'kafka');
    const bodies = () => Array.from({ length: Math.floor(jobs / 3) }, () => sleepJob(between([200, 1500])));
    try {
      const [api] = await cluster.startAll([
        { name: 'api', role: 'api' },
        { name: 'worker0', role: 'worker' },
        { name: 'worker1', role: 'worker' },
      ]);
      // Jobs before the stop are still being dispatched and run when the broker goes; the second third
      // is submitted while it is down; the last third while it starts again.
      const before = await submitAll(api.baseUrl, bodies(), 8);
      const down = Date.now();
      await infra.kafka.stop();
      const during = await submitAll(api.baseUrl, bodies(), 8);
      const [, after] = await Promise.all([infra.kafka.start(), submitAll(api.baseUrl, bodies(), 2)]);
      const submitted = tally([...before.answers, ...during.answers, ...after.answers]);
      figures({
        brokerDownSeconds: seconds(down),
        beforeOutage: before.byStatus,
        whileBrokerDown: during.byStatus,
        whileBrokerStarting: after.byStatus,
      });

      const settled = await settle(cluster.db, submitted.accepted, { timeoutMs: 180_000, stallMs: 30_000 });
      const verdict = judgeExactlyOnce(submitted.accepted, await ledgerOf(cluster.db, submitted.accepted));
      figures({ ...verdictFigures(verdict), settleSeconds: settled.seconds, settled: settled.settled });
      expect(submitted.byStatus).toEqual({ 202: submitted.answers.length });
      expectExactlyOnce(verdict);
    } finally {
      await infra.kafka.start().catch(() => undefined);
      await cluster.close();
    }
  },
};
