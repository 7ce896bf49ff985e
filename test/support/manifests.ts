import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The parts of Kubernetes objects the deployables test reads. */
export interface EnvVar {
  name: string;
  value?: string;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
}

export interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}

export interface PodSpec {
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  resources?: string[];
}

export interface ManifestFile {
  /** Path relative to the manifests folder, e.g. `alternatives/hpa-prometheus.yaml`. */
  file: string;
  documents: Manifest[];
  errors: string[];
}

/** Every YAML file under `dir`, each parsed into its documents (parse errors kept, not thrown). */
export function readManifests(dir: string): ManifestFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => {
      const documents = parseAllDocuments(readFileSync(join(dir, file), 'utf8'));
      const list = Array.isArray(documents) ? documents : [documents];
      return {
        file: relative(dir, join(dir, file)),
        documents: list.map((document) => document.toJS() as Manifest),
        errors: list.flatMap((document) => document.errors.map((error) => error.message)),
      };
    });
}

/** `sleep N` of a preStop hook, in seconds (0 without one). */
export function preStopSeconds(container: Container): number {
  const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
  return command === 'sleep' ? Number(seconds) : 0;
}

/** The container's environment as Kubernetes builds it: envFrom sources in order, then `env` on top. */
export function resolvedEnv(container: Container, sources: Record<string, Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const name = from.configMapRef?.name ?? from.secretRef?.name ?? '';
    const values = sources[name];
    if (!values) throw new Error(`envFrom names ${name}, which no manifest defines`);
    Object.assign(env, values);
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value ?? '';
  return env;
}
