// What a benchmark does around its measured window: waits for a quiet machine before, and
// accounts for the CPU every party used during it.
import {
  machineBusyS,
  machineCpu,
  machineDelta,
  postgresCpu,
  postgresCpuDelta,
  procCpuS,
  procThreadsCpuS,
  threadsDelta,
} from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Other programs competing for the CPU make the figures meaningless: waits up to `seconds` for
 * the machine to be quiet (measuring anyway after that, with a warning). Returns the busy CPU
 * seconds per second last measured.
 */
export async function waitForQuietMachine(seconds, now, log) {
  const waitUntil = now() + seconds * 1000;
  while (true) {
    const b0 = machineBusyS();
    await sleep(1000);
    const busy = machineBusyS() - b0;
    if (busy < 0.3) return busy;
    if (now() > waitUntil) {
      log(`WARNING: the machine is busy with something else (${busy.toFixed(2)} CPU s/s); measuring anyway`);
      return busy;
    }
    log(`the machine is busy with something else (${busy.toFixed(2)} CPU s/s); waiting`);
    await sleep(4000);
  }
}

/**
 * Starts accounting for CPU time: the server process (`pid`, and each of its threads), the
 * PostgreSQL processes working for `db` (none without a `db`), the whole machine, and this process. `serverCpuS` is
 * the server's reading at the start; `end()` gives what each used since.
 */
export async function cpuWindow(pid, db) {
  const at0 = {
    server: procCpuS(pid),
    threads: procThreadsCpuS(pid),
    pg: db ? await postgresCpu(db.url, db.name) : new Map(),
    machine: machineBusyS(),
    kinds: machineCpu(),
    self: process.cpuUsage(),
  };
  return {
    serverCpuS: at0.server,
    async end() {
      const serverCpuS = procCpuS(pid) - at0.server;
      const serverThreads = threadsDelta(at0.threads, procThreadsCpuS(pid));
      const selfCpu = process.cpuUsage(at0.self);
      const machineS = machineBusyS() - at0.machine;
      const machineKinds = machineDelta(at0.kinds, machineCpu());
      const pgCpuS = db ? postgresCpuDelta(at0.pg, await postgresCpu(db.url, db.name)) : 0;
      return { serverCpuS, serverThreads, selfCpuS: (selfCpu.user + selfCpu.system) / 1e6, machineS, machineKinds, pgCpuS };
    },
  };
}
