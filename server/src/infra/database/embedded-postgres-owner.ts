import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Who owns the embedded PostgreSQL under DATA_DIR. A node records `<node pid> <postmaster pid>`
 * in `DATA_DIR/pg-owner` each time it starts one. PostgreSQL is the node's child, so while the
 * node lives the postmaster's parent is that node; after a `kill -9` of the node the postmaster
 * is re-parented (to init or a subreaper) and only then do we call it an orphan and stop it. A
 * postmaster we cannot prove ours (no record, or started by hand) is left alone and refused.
 */
export function ownerFile(dataDir: string): string {
  return join(dataDir, 'pg-owner');
}

export function recordOwner(dataDir: string, postmasterPid: number): void {
  writeFileSync(ownerFile(dataDir), `${process.pid} ${postmasterPid}\n`);
}

/** Makes `dir` startable: removes a stale postmaster.pid, stops an orphan, refuses a live owner. */
export async function clearTheWay(dataDir: string, dir: string, warn: (msg: string) => void): Promise<void> {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const proc = pid > 0 ? inspect(pid) : null;
  // Gone, or the pid now belongs to something else (a reboot reuses pids): the file is stale.
  if (!proc || proc.zombie || proc.name !== 'postgres') {
    rmSync(pidFile, { force: true });
    return;
  }
  const [node, postmaster] = existsSync(ownerFile(dataDir)) ? readFileSync(ownerFile(dataDir), 'utf8').trim().split(' ').map(Number) : [];
  if (postmaster !== pid || proc.ppid === node) {
    const owner = postmaster === pid ? ` (started by Yishi process ${node}, still running)` : '';
    throw new Error(`the embedded database in ${dir} is in use by process ${pid}${owner}`);
  }
  warn(`the embedded PostgreSQL (pid ${pid}) outlived its node (pid ${node}): stopping it before starting again`);
  await stopProcess(pid);
  rmSync(pidFile, { force: true });
}

/** Fast shutdown (SIGINT: abort sessions, checkpoint), then immediate shutdown if it hangs. */
async function stopProcess(pid: number): Promise<void> {
  for (const [signal, ms] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    // Not our child, so there is no exit event to await: watch the pid.
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const p = inspect(pid);
      if (!p || p.zombie) return;
      await delay(50);
    }
  }
  throw new Error(`the orphaned embedded PostgreSQL (pid ${pid}) did not stop`);
}

interface ProcessInfo {
  name: string;
  ppid: number;
  zombie: boolean;
}

/** Name, parent and state of a process, or null when there is none. */
function inspect(pid: number): ProcessInfo | null {
  try {
    if (existsSync('/proc/self/stat')) {
      // "pid (name) state ppid ...": the name may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state, ppid] = stat.slice(close + 2).split(' ');
      return { name: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(ppid), zombie: state === 'Z' };
    }
    const [ppid, state, ...name] = execFileSync('ps', ['-o', 'ppid=,stat=,comm=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    return { name: name.join(' ').split('/').pop()!, ppid: Number(ppid), zombie: !!state?.startsWith('Z') };
  } catch {
    return null;
  }
}
