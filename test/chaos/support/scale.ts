/**
 * How big one chaos run is. The full run (`npm run chaos`) and the reduced run inside `npm test`
 * execute the same scenarios with different numbers; nothing else differs between them.
 */
export interface ChaosScale {
  readonly name: 'full' | 'reduced';
  /** 1,000 jobs while random workers are SIGKILLed. */
  readonly workerKills: { jobs: number; kills: number; workers: number; jobMs: readonly [number, number] };
  /** Jobs submitted while the Kafka broker stops and starts again. */
  readonly kafkaRestart: { jobs: number };
  /** Jobs running while PostgreSQL stops and starts again; API probes made during the outage. */
  readonly postgresRestart: { jobs: number; probes: number };
  readonly redisDown: { jobs: number };
  /** Jobs per skewed API node (half immediate, half delayed). */
  readonly clockSkew: { jobs: number };
  readonly missingHandler: { jobs: number };
  /** Valid messages produced after the poison ones on the same partition. */
  readonly poison: { validAfter: number };
}

export const FULL_SCALE: ChaosScale = {
  name: 'full',
  workerKills: { jobs: 1000, kills: 24, workers: 3, jobMs: [500, 2500] },
  kafkaRestart: { jobs: 300 },
  postgresRestart: { jobs: 120, probes: 12 },
  redisDown: { jobs: 60 },
  clockSkew: { jobs: 24 },
  missingHandler: { jobs: 60 },
  poison: { validAfter: 20 },
};

export const REDUCED_SCALE: ChaosScale = {
  name: 'reduced',
  workerKills: { jobs: 200, kills: 6, workers: 3, jobMs: [500, 2500] },
  kafkaRestart: { jobs: 60 },
  postgresRestart: { jobs: 30, probes: 6 },
  redisDown: { jobs: 20 },
  clockSkew: { jobs: 8 },
  missingHandler: { jobs: 20 },
  poison: { validAfter: 5 },
};
