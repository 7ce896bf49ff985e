import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import { CONSUMER_LAG_METRIC } from '../src/metrics/autoscaling-gauges.js';
import { freePort, startApp, type AppProcess } from './support/app-process.js';
import { createTestSchema, type TestSchema } from './support/database.js';
import { envOf, parseDockerfile, type Stage } from './support/dockerfile.js';
import { preStopSeconds, readManifests, resolvedEnv, type Manifest, type PodSpec } from './support/manifests.js';

const run = promisify(execFile);
const MANIFESTS = 'deploy/kubernetes';
const ROLES = ['api', 'worker', 'scheduler'] as const;

const envExample = new Set(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => line.slice(0, line.indexOf('='))),
);

/** No container runtime runs here: the image and the manifests are checked by reading them, and against the real app. */
describe('deployables', () => {
  const dockerfile = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
  const runtime = dockerfile.stages.at(-1) as Stage;
  const files = readManifests(MANIFESTS);
  const all = files.flatMap((file) => file.documents);
  const byKind = (kind: string) => all.filter((manifest) => manifest.kind === kind);
  const one = (kind: string, name: string): Manifest => {
    const found = all.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
    if (!found) throw new Error(`no ${kind} ${name} in ${MANIFESTS}`);
    return found;
  };
  const config = one('ConfigMap', 'longhaul-config').data ?? {};
  const secret = parse(readFileSync(`${MANIFESTS}/secret.example.yaml`, 'utf8')) as Manifest;
  const sources = { 'longhaul-config': config, [secret.metadata.name]: secret.stringData ?? {} };
  const deployment = (role: (typeof ROLES)[number]) => one('Deployment', `longhaul-${role}`);
  const podOf = (manifest: Manifest) => manifest.spec.template.spec as PodSpec;
  const containerOf = (role: (typeof ROLES)[number]) => podOf(deployment(role)).containers[0];
  const exposed = Number(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args);

  let schema: TestSchema;
  let app: AppProcess;

  beforeAll(async () => {
    schema = await createTestSchema('deployables');
    app = await startApp(schema.env);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await schema?.drop();
  });

  describe('Dockerfile', () => {
    it('builds in one stage and runs from another on the same base, with production dependencies only', () => {
      const [build] = dockerfile.stages;
      expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
      expect(runtime.image).toBe(build?.image);
      expect(runtime.image).toMatch(/^node:20/);
      const installs = runtime.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args));
      expect(installs.map((i) => i.args)).toEqual([expect.stringContaining('npm ci --omit=dev')]);
      const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
      expect(copies.filter((args) => args.includes('node_modules') || args.startsWith('. '))).toEqual([]); // nor the whole context
      expect(copies).toEqual(expect.arrayContaining(['package.json package-lock.json ./', '--from=build /app/dist ./dist', 'src/dashboard/public ./src/dashboard/public']));
      expect(existsSync('src/main.ts')).toBe(true);
      expect(runtime.instructions.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "dist/main.js"]');
    });

    it('runs as a non-root user, after every build step', () => {
      const users = runtime.instructions.map((i, at) => ({ ...i, at })).filter((i) => i.keyword === 'USER');
      const lastRun = runtime.instructions.map((i) => i.keyword).lastIndexOf('RUN');
      expect(users.at(-1)?.args).toBe('node');
      expect(users.at(-1)!.at).toBeGreaterThan(lastRun);
    });

    it('stops on SIGTERM and sets only documented settings, on the port it exposes', () => {
      expect(runtime.instructions.find((i) => i.keyword === 'STOPSIGNAL')?.args).toBe('SIGTERM');
      const env = envOf(runtime);
      expect(Object.keys(env).filter((name) => !envExample.has(name))).toEqual([]);
      expect(Number(env.PORT)).toBe(exposed);
      expect(loadConfig(env).port).toBe(exposed);
    });

    it('has a HEALTHCHECK whose very command passes against the app and fails without it', async () => {
      const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
      const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
      expect(command.join(' ')).toContain('/health/live');
      const [program, ...args] = command;
      const exitCode = (port: number) =>
        run(program === 'node' ? process.execPath : program, args, { env: { PORT: String(port) }, timeout: 10_000 }).then(
          () => 0,
          (error: { code?: number }) => error.code ?? -1,
        );
      expect(await exitCode(app.port)).toBe(0);
      expect(await exitCode(await freePort())).toBe(1);
    });

    it('keeps local state and secrets out of the build context', () => {
      const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
      expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', '.infra', 'data', 'dist', '.git']));
    });
  });

  describe('Kubernetes manifests', () => {
    it('parse, and each object names its kind', () => {
      expect(files.filter((file) => file.errors.length > 0)).toEqual([]);
      for (const manifest of all) {
        const named = manifest.kind === 'Kustomization' || typeof manifest.metadata?.name === 'string';
        expect({ apiVersion: typeof manifest.apiVersion, kind: typeof manifest.kind, named }).toEqual({ apiVersion: 'string', kind: 'string', named: true });
      }
    });

    it('kustomization lists every manifest but the Secret example and the alternatives', () => {
      const [kustomization] = byKind('Kustomization');
      const expected = files
        .map((file) => file.file)
        .filter((file) => !['kustomization.yaml', 'secret.example.yaml'].includes(file) && !file.startsWith('alternatives/'));
      expect([...(kustomization?.resources ?? [])].sort()).toEqual(expected);
    });

    it.each(ROLES)('%s: a Deployment of the image with that APP_ROLE, non-root, and a valid configuration', (role) => {
      const container = containerOf(role);
      const pod = podOf(deployment(role));
      expect(container.image).toBe('longhaul');
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(pod.securityContext?.runAsUser).not.toBe(0);
      const selector = deployment(role).spec.selector.matchLabels as Record<string, string>;
      expect(deployment(role).spec.template.metadata.labels).toMatchObject(selector);

      const env = resolvedEnv(container, sources);
      const loaded = loadConfig(env);
      expect({ role: loaded.appRole, profile: loaded.profile, s3: loaded.s3?.bucket }).toEqual({ role, profile: 'distributed', s3: config.S3_BUCKET });
    });

    it.each(ROLES)('%s: the container port is PORT and the image’s, and every probe asks a path the app answers', async (role) => {
      const container = containerOf(role);
      const env = resolvedEnv(container, sources);
      const http = container.ports?.find((port) => port.name === 'http');
      expect(http?.containerPort).toBe(Number(env.PORT));
      expect(http?.containerPort).toBe(exposed);
      const probes = { startup: container.startupProbe, readiness: container.readinessProbe, liveness: container.livenessProbe };
      expect(probes.readiness?.httpGet?.path).toBe('/health/ready');
      expect(probes.liveness?.httpGet?.path).toBe('/health/live');
      for (const probe of Object.values(probes)) {
        expect(probe?.httpGet?.port).toBe('http');
        const answer = await fetch(`${app.baseUrl}${probe?.httpGet?.path}`);
        expect({ path: probe?.httpGet?.path, status: answer.status }).toEqual({ path: probe?.httpGet?.path, status: 200 });
      }
    });

    it.each(ROLES)('%s: the pod is given longer to stop than the app takes (preStop + SHUTDOWN_GRACE_MS + margin)', (role) => {
      const container = containerOf(role);
      const graceMs = loadConfig(resolvedEnv(container, sources)).shutdownGraceMs;
      const needed = preStopSeconds(container) + graceMs / 1000 + 5;
      expect(podOf(deployment(role)).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(needed);
    });

    it('names only settings that .env.example documents', () => {
      const names = [
        ...Object.keys(config),
        ...Object.keys(secret.stringData ?? {}),
        ...ROLES.flatMap((role) => (containerOf(role).env ?? []).map((variable) => variable.name)),
      ];
      expect(names.filter((name) => !envExample.has(name))).toEqual([]);
    });

    it('the Service routes to the api pods’ http port; each PodDisruptionBudget covers exactly one role', () => {
      const service = one('Service', 'longhaul-api');
      expect(deployment('api').spec.template.metadata.labels).toMatchObject(service.spec.selector);
      expect(service.spec.ports.map((port: { targetPort: string }) => port.targetPort)).toEqual(['http']);
      const budgets = byKind('PodDisruptionBudget');
      expect(budgets).toHaveLength(3);
      for (const budget of budgets) {
        const covered = ROLES.filter((role) => matches(budget.spec.selector.matchLabels, deployment(role).spec.template.metadata.labels));
        expect({ budget: budget.metadata.name, covered }).toEqual({ budget: budget.metadata.name, covered: [budget.metadata.name.replace('longhaul-', '')] });
      }
    });

    it('KEDA scales the worker Deployment on the lag of the group, topic and brokers the app uses', () => {
      const scaled = one('ScaledObject', 'longhaul-worker');
      expect(scaled.spec.scaleTargetRef.name).toBe(deployment('worker').metadata.name);
      const [trigger] = scaled.spec.triggers as Array<{ type: string; metadata: Record<string, string> }>;
      expect(trigger?.type).toBe('kafka');
      expect(trigger?.metadata).toMatchObject({ bootstrapServers: config.KAFKA_BROKERS, consumerGroup: config.KAFKA_GROUP_ID, topic: config.KAFKA_TOPIC });
      expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(Number(config.KAFKA_PARTITIONS));
      expect(deployment('worker').spec.replicas).toBeUndefined(); // the autoscaler owns it
    });

    it('the HPA alternative scales the same Deployment on the lag metric the app exports, through prometheus-adapter', () => {
      const hpa = one('HorizontalPodAutoscaler', 'longhaul-worker');
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment('worker').metadata.name });
      expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(Number(config.KAFKA_PARTITIONS));
      const [metric] = hpa.spec.metrics as Array<{ external: { metric: { name: string; selector: { matchLabels: Record<string, string> } } } }>;
      expect(metric?.external.metric.selector.matchLabels).toEqual({ group: config.KAFKA_GROUP_ID });
      const adapter = parse(one('ConfigMap', 'longhaul-prometheus-adapter-rules').data?.['config.yaml'] ?? '') as {
        externalRules: Array<{ seriesQuery: string; name: { as: string } }>;
      };
      const rule = adapter.externalRules.find((candidate) => candidate.name.as === metric?.external.metric.name);
      expect(rule?.seriesQuery).toMatch(new RegExp(`^'?${CONSUMER_LAG_METRIC}\\{`));
    });
  });

  it('docker-compose publishes every port on 127.0.0.1 only', () => {
    const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { ports?: string[] }> };
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });
});

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
