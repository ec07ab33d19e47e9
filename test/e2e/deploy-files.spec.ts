import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ComposeService,
  composeFile,
  composeSchemaErrors,
  imageSpec,
  k8sManifests,
  k8sSchemaErrors,
  type Manifest,
} from '../support/deploy-files';
import { composeProxyConfig, localConfig, nginxTest } from '../support/nginx-process';
import { freshDatabase, REPO_ROOT, startServer } from '../support/server-process';

// What an operator puts in the environment of `docker compose up`.
const VARS = { POSTGRES_PASSWORD: 'compose-password', JWT_SECRET: 'deploy-files-secret-deploy-files-secret' };
const compose = composeFile(VARS);
const manifests = k8sManifests();
const one = (kind: string): Manifest['body'] => manifests.find((m) => m.kind === kind)!.body;
/** The services that are server nodes: the app's image, run with its own CMD. */
const nodes = Object.entries(compose.services).filter(([, s]) => s.image === 'yishi:latest' && !s.command);
/** The [Service] settings of infra/yishi.service. */
function localUnit(): Record<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'infra/yishi.service'), 'utf8');
  const service = text.split(/^\[Service\]$/m)[1]!.split(/^\[/m)[0]!;
  return Object.fromEntries([...service.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)![1]);

describe('infra/compose.yaml', () => {
  it('is a valid Compose file, and the schema check refuses a misspelled key', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.node1!.helthcheck = broken.services.node1!.healthcheck;
    expect(composeSchemaErrors(broken).join('\n')).toMatch(/additional/i);
  });

  it('runs two or more nodes on one database, Redis and secret, each started after the migration and given time to drain', () => {
    expect(nodes.length).toBeGreaterThanOrEqual(2);
    const env = nodes[0]![1].environment!;
    for (const [, s] of nodes) expect(s.environment).toEqual(env);
    expect(env.NODE_ENV).toBe('production');
    expect(new URL(env.DATABASE_URL!).hostname).toBe('postgres');
    expect(new URL(env.REDIS_URL!).hostname).toBe('redis');
    expect(env.JWT_SECRET).toBe(VARS.JWT_SECRET);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'migrate']));
    for (const [, s] of nodes) {
      expect(s.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(seconds(s.stop_grace_period!) * 1000).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS));
      expect(s.healthcheck!.test.join(' ')).toContain('/api/health/ready');
    }
    const migrate = compose.services.migrate!;
    expect(migrate.environment!.DATABASE_URL).toBe(env.DATABASE_URL);
    expect(existsSync(join(REPO_ROOT, migrate.command![1]!))).toBe(true);
  });

  it('puts every node, and only the nodes, behind the proxy', () => {
    const proxy = Object.values(compose.services).find((s) => s.volumes?.some((v) => v.startsWith('./nginx/compose.conf:')));
    expect(proxy).toBeDefined();
    const upstream = [...localConfig('nginx/compose.conf', (t) => t).matchAll(/^\s*server (\w+):3000/gm)].map((m) => m[1]);
    expect(upstream.sort()).toEqual(nodes.map(([name]) => name).sort());
  });
});

describe('infra/k8s', () => {
  const deployment = one('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const config = one('ConfigMap');

  it('every manifest validates against the Kubernetes API schema, which refuses a wrong type', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Ingress',
      'Job',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    expect(manifests.flatMap((m) => k8sSchemaErrors(m.body).map((e) => `${m.file}: ${e}`))).toEqual([]);
    expect(k8sSchemaErrors({ ...deployment, spec: { ...deployment.spec, replicas: 'three' } }).join()).toMatch(/replicas/);
  });

  it('probes readiness and liveness on the health endpoints and stops pods only after their drain', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/api/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/api/health/live');
    const ports = container.ports.map((p: { name: string }) => p.name);
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
      expect(ports).toContain(probe.httpGet.port);
    const preStopMs = Number(container.lifecycle.preStop.exec.command[1]) * 1000;
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopMs + Number(config.data.SHUTDOWN_TIMEOUT_MS));
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('ties Service, Ingress, PodDisruptionBudget and the migration Job to the server pods and the same image and settings', () => {
    const labels = pod.metadata.labels as Record<string, string>;
    const selects = (selector: Record<string, string>, l: Record<string, string>) => Object.entries(selector).every(([k, v]) => l[k] === v);
    const job = one('Job');
    const service = one('Service');
    const pdb = one('PodDisruptionBudget');
    expect(selects(service.spec.selector, labels)).toBe(true);
    expect(selects(service.spec.selector, job.spec.template.metadata.labels)).toBe(false);
    expect(selects(pdb.spec.selector.matchLabels, labels)).toBe(true);
    expect(pdb.spec.maxUnavailable).toBeLessThan(deployment.spec.replicas);
    expect(container.ports.map((p: { name: string }) => p.name)).toContain(service.spec.ports[0].targetPort);

    const backend = one('Ingress').spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: service.metadata.name, port: { name: service.spec.ports[0].name } });
    expect(one('Ingress').metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');

    const jobContainer = job.spec.template.spec.containers[0];
    expect(jobContainer.image).toBe(container.image);
    expect(jobContainer.command).toEqual(compose.services.migrate!.command);
    expect(jobContainer.envFrom).toEqual(container.envFrom);
    const refs = container.envFrom.map(
      (e: { configMapRef?: { name: string }; secretRef?: { name: string } }) => e.configMapRef?.name ?? e.secretRef?.name,
    );
    expect(refs.sort()).toEqual([config.metadata.name, one('Secret').metadata.name].sort());
  });
});

describe('infra/nginx', () => {
  it('the host configuration (TLS) and the compose proxy with ports filled in pass nginx -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yishi-tls-'));
    try {
      const cert = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=yishi.example.org',
          '-keyout',
          join(dir, 'yishi.key'),
          '-out',
          join(dir, 'yishi.crt'),
        ],
        { encoding: 'utf8' },
      );
      expect(cert.status).toBe(0);
      const tls = localConfig('nginx/host-tls.conf', (t) => t.replaceAll('/etc/ssl/', `${dir}/`));
      expect(nginxTest(tls)).toMatchObject({ status: 0 });
      expect(nginxTest(composeProxyConfig([3001, 3002], 8080))).toMatchObject({ status: 0 });
      // The check has teeth: a directive out of place is refused.
      expect(nginxTest(tls.replace('location / {', 'location / {\n        listen 80;')).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('infra/yishi.service (a node under systemd)', () => {
  const unit = localUnit();
  it('starts the built server with the same node flags as the image, its environment file, and restarts it on failure', () => {
    const nodeArgs: string[] = JSON.parse(readFileSync(join(REPO_ROOT, 'server/node-args.json'), 'utf8'));
    expect(unit.ExecStart!.split(/\s+/)).toEqual(['/usr/bin/node', ...nodeArgs, 'server/dist/main.js']);
    expect(unit.EnvironmentFile).toMatch(/^\//);
    expect(unit.Restart).toBe('on-failure');
    expect(unit.KillSignal).toBe('SIGTERM');
    expect(unit.User).not.toBe('root');
  });
});

describe("the image's start command, outside a container", () => {
  it('the built server and shared library load nothing at run time that `npm ci --omit=dev` leaves out', () => {
    const manifest = (p: string) => JSON.parse(readFileSync(join(REPO_ROOT, p, 'package.json'), 'utf8')) as { dependencies: object };
    const installed = new Set([...Object.keys(manifest('server').dependencies), ...Object.keys(manifest('shared').dependencies)]);
    const missing = new Set<string>();
    for (const dir of ['server/dist', 'shared/dist']) {
      const files = readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(10);
      for (const file of files)
        for (const [, spec] of readFileSync(join(REPO_ROOT, dir, file), 'utf8').matchAll(/\brequire\(["']([^"'.][^"']*)["']\)/g)) {
          const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
          if (!builtinModules.includes(name.replace(/^node:/, '')) && !installed.has(name)) missing.add(`${dir}/${file}: ${name}`);
        }
    }
    expect([...missing]).toEqual([]);
  });

  it('migrates with the migration service, starts the CMD with the nodes’ environment, answers readiness and the HEALTHCHECK', async () => {
    const image = imageSpec();
    // The node flags the server always runs with, as npm start and the tests give them.
    const nodeArgs: string[] = JSON.parse(readFileSync(join(REPO_ROOT, 'server/node-args.json'), 'utf8'));
    expect(image.cmd).toEqual(['node', ...nodeArgs, 'server/dist/main.js']);
    expect(image.user).not.toBe('root');
    const db = await freshDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'yishi-image-'));
    // The nodes' environment as compose gives it, its hosts and port replaced by this machine's.
    const local = (s: ComposeService): Record<string, string> => ({
      ...image.env,
      ...s.environment,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      PATH: process.env.PATH!,
    });
    try {
      const run = (cmd: string[], env: Record<string, string>) =>
        spawnSync(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
      const migrate = compose.services.migrate!;
      const first = run(migrate.command!, local(migrate));
      expect(first.stdout).toMatch(/^migrations applied: Foundation\d+/);
      expect(first.status).toBe(0);
      expect(run(migrate.command!, local(migrate)).stdout).toMatch(/schema up to date/);

      const node = await startServer(local(nodes[0]![1]), { main: image.cmd.at(-1) });
      const probe = (path: string) => fetch(`${node.url}${path}`).then((r) => r.status);
      const health = (port: number) => run(image.healthcheck, { ...local(nodes[0]![1]), PORT: String(port) }).status;
      try {
        expect(await probe(one('Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.path)).toBe(200);
        expect(await probe(one('Deployment').spec.template.spec.containers[0].livenessProbe.httpGet.path)).toBe(200);
        expect(health(node.port)).toBe(0);
      } finally {
        expect(await node.stop('SIGTERM')).toBe(0);
      }
      expect(health(node.port)).not.toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
