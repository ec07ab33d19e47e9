import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process';

export const NGINX_DIR = join(REPO_ROOT, 'infra/nginx');
/** Where infra's configurations expect sticky.conf and proxy.conf (see infra/README.md). */
const INCLUDE_DIR = '/etc/nginx/yishi/';

/**
 * Debian's nginx binary; installed from Debian's packages when missing and running as root,
 * otherwise one line naming the command to run.
 */
export function nginxBinary(): string {
  const found = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('nginx is not installed: run `apt-get install -y nginx-light` as root');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
  const r = spawnSync('apt-get', ['install', '-y', '-q', 'nginx-light'], { encoding: 'utf8', env });
  if (r.status !== 0 || !existsSync('/usr/sbin/nginx')) throw new Error(`apt-get install -y nginx-light failed:\n${r.stdout}${r.stderr}`);
  return '/usr/sbin/nginx';
}

/**
 * A configuration of infra's (a file that goes inside `http { }`) made runnable here: its includes
 * point into infra/nginx and `fill` rewrites what names the deployment's hosts and ports.
 */
export function localConfig(file: string, fill: (text: string) => string): string {
  const text = readFileSync(join(REPO_ROOT, 'infra', file), 'utf8').replaceAll(INCLUDE_DIR, `${NGINX_DIR}/`);
  return fill(text);
}

/**
 * compose.conf with the nodes' services replaced by local ports, in order (node1, node2, …) and
 * the proxy listening on `listenPort`: every other setting (sticky hash, upgrade, timeouts,
 * next-upstream) stays as deployed.
 */
export function composeProxyConfig(nodePorts: number[], listenPort: number): string {
  return localConfig('nginx/compose.conf', (text) => {
    const nodes = [...text.matchAll(/server node(\d+):3000/g)];
    if (nodes.length !== nodePorts.length) throw new Error(`compose.conf has ${nodes.length} nodes, the test starts ${nodePorts.length}`);
    return text
      .replace(/server node(\d+):3000/g, (_, n: string) => `server 127.0.0.1:${nodePorts[Number(n) - 1]}`)
      .replace(/listen 80;/, `listen 127.0.0.1:${listenPort};`);
  });
}

/** A main configuration around `site` (an `http { }` include), with every file nginx writes in `dir`. */
function mainConfig(dir: string, site: string): string {
  writeFileSync(join(dir, 'site.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${dir}/${t};`).join('\n');
  const main = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
${temp}
    include ${dir}/site.conf;
}
`;
  writeFileSync(join(dir, 'nginx.conf'), main);
  return join(dir, 'nginx.conf');
}

/** `nginx -t` on a site configuration: its exit code and what it said. */
export function nginxTest(site: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'yishi-nginx-t-'));
  try {
    const conf = mainConfig(dir, site);
    const r = spawnSync(nginxBinary(), ['-t', '-e', join(dir, 'error.log'), '-p', dir, '-c', conf], { encoding: 'utf8' });
    return { status: r.status, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface NginxProcess {
  url: string;
  stop(): Promise<void>;
  /** nginx's error log (upstream failures are logged there). */
  errors(): string;
}

/** Runs nginx in the foreground on a site configuration that listens on `port`; resolves once it answers. */
export async function startNginx(site: string, port: number): Promise<NginxProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'yishi-nginx-'));
  // Started as root, nginx's workers run as nobody: they must reach their temporary files.
  chmodSync(dir, 0o755);
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, t));
  const conf = mainConfig(dir, site);
  const proc: ChildProcess = spawn(nginxBinary(), ['-e', join(dir, 'error.log'), '-p', dir, '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const errors = () => (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}:\n${errors()}`);
    if (
      await fetch(`${url}/api/health/live`).then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${port} in 10 s:\n${errors()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    errors,
    async stop() {
      if (proc.exitCode === null) {
        // SIGQUIT: nginx's graceful stop (SIGTERM is its fast one); either ends the workers.
        proc.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
