import { ChaosReport } from './support/report.js';
import { startInfra, stopInfra, type ChaosInfra } from './support/infra.js';
import type { ChaosScale } from './support/scale.js';
import { SCENARIOS } from './scenarios/index.js';

/**
 * The chaos suite at a given scale: the suite's own PostgreSQL, Redis and Kafka broker, then one test
 * per scenario. `npm run chaos` runs it at full scale, `npm test` at reduced scale; same code.
 */
export function chaosSuite(scale: ChaosScale): void {
  describe(`chaos suite (${scale.name} run)`, () => {
    const report = new ChaosReport(scale.name);
    let infra: ChaosInfra | undefined;

    beforeAll(async () => {
      const started = Date.now();
      infra = await startInfra();
      report.note({ infraStartSeconds: Math.round((Date.now() - started) / 100) / 10, postgresPort: infra.postgres.port, redisPort: infra.redis.port, broker: infra.brokers[0] });
    }, 300_000);

    afterAll(async () => {
      await stopInfra(infra ?? {});
      process.stdout.write(report.summary());
    }, 180_000);

    for (const scenario of SCENARIOS) {
      it(
        scenario.title,
        async () => {
          if (!infra) throw new Error('the chaos infrastructure did not start (see beforeAll)');
          const servers = infra;
          await report.run(scenario.name, (figures) => scenario.run(servers, scale, figures));
        },
        scenario.timeoutMs(scale),
      );
    }
  });
}
