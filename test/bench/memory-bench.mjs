#!/usr/bin/env node
// A node's memory at rest and with clients connected: the built server on a fresh database with
// the demo seeded, stopped and started again (a node at rest is one that restarted on its data),
// then its RSS after start-up, after the idle time (documents unloaded, workers stopped), and with
// N Socket.IO clients each signed in as a resident of its own, in the open meeting and following
// one proposal. See docs/benchmarks.md.
//
//   npm run bench:memory -- [--rest 100] [--clients 200]
//
// The LAST stdout line is one JSON object: { restStartMb, restMb, clients, clientsMb, perClientKb, ... }.
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchServer, stopBenchServer } from './lib/bench-server.mjs';
import { api, createResidents, freshDatabase, pool, procMemMb, require, round, signIn } from './lib/harness.mjs';
import { benchOptions, numberOption } from './lib/options.mjs';

const { io } = require('socket.io-client');
const { SOCKET_PARSER } = require('@yishi/shared');

const opt = benchOptions(
  {
    rest: { type: 'string', default: '100' }, // seconds idle before the at-rest figure
    clients: { type: 'string', default: '200' },
    'heap-snapshots': { type: 'boolean', default: false }, // write a heap snapshot at rest and with the clients (server's cwd)
    'server-main': { type: 'string' },
    'server-log': { type: 'string' },
  },
  'usage: npm run bench:memory -- [--rest 100] [--clients 200] [--heap-snapshots] [--env KEY=VALUE ...] [--server-main PATH] [--server-log FILE]',
);
const REST_S = numberOption(opt, 'rest', 0);
const N = Math.floor(numberOption(opt, 'clients', 0));
const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const db = await freshDatabase();
let server;
const sockets = [];
try {
  server = await startBenchServer(db, opt);
  await sleep(2000);
  await stopBenchServer(server);
  const snapshots = opt['heap-snapshots'];
  // A snapshot is written on SIGUSR2 (to the server's working directory, the repository's root).
  const snapshot = async () => {
    if (!snapshots) return;
    process.kill(server.pid, 'SIGUSR2');
    await sleep(8000);
  };
  server = await startBenchServer(db, opt, { nodeArgs: snapshots ? ['--heapsnapshot-signal=SIGUSR2'] : [] });
  log(`server pid ${server.pid} restarted on the seeded database ${db.name}`);
  await sleep(10_000);
  await fetch(`${server.url}/api/health`);
  const restStartMb = procMemMb(server.pid).rss;
  log(`RSS 10 s after start: ${round(restStartMb)} MB; waiting ${REST_S} s at rest`);
  await sleep(REST_S * 1000);
  const restMb = procMemMb(server.pid).rss;
  log(`RSS at rest: ${round(restMb)} MB`);
  await snapshot();

  let clientsMb = null;
  let signedInMb = null;
  if (N > 0) {
    const chair = await signIn(server.url, 'chair');
    const me = await api(server.url, 'GET', '/api/me', { token: chair });
    const compoundId = me.memberships[0].compoundId;
    const meetings = await api(server.url, 'GET', `/api/compounds/${compoundId}/meetings`, { token: chair });
    const open = (Array.isArray(meetings) ? meetings : meetings.items).find((m) => m.status === 'open');
    const proposals = await api(server.url, 'GET', `/api/compounds/${compoundId}/proposals`, { token: chair });
    const proposal = (Array.isArray(proposals) ? proposals : proposals.items)[0];
    const logins = await createResidents(db.url, compoundId, N);
    const tokens = await pool(logins, 4, (login) => signIn(server.url, login));
    signedInMb = procMemMb(server.pid).rss;
    log(`RSS after ${N} sign-ins (before any socket): ${round(signedInMb)} MB`);
    await pool(tokens, 8, async (token) => {
      const s = io(server.url, { auth: { token }, transports: ['websocket'], parser: SOCKET_PARSER, reconnection: false });
      sockets.push(s);
      await new Promise((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', reject);
      });
      if (open) await s.timeout(10_000).emitWithAck('meeting:join', { meetingId: open.id });
      if (proposal) await s.timeout(10_000).emitWithAck('doc:join', { docId: proposal.id });
    });
    await sleep(5000);
    clientsMb = procMemMb(server.pid).rss;
    log(`RSS with ${N} clients in the meeting and the proposal: ${round(clientsMb)} MB`);
    await snapshot();
  }
  const result = {
    restS: REST_S,
    restStartMb: round(restStartMb),
    restMb: round(restMb),
    clients: N,
    signedInMb: round(signedInMb),
    clientsMb: round(clientsMb),
    aboveRestMb: clientsMb === null ? null : round(clientsMb - restMb),
    perClientKb: clientsMb === null ? null : round(((clientsMb - restMb) * 1024) / N, 0),
    peakMb: round(procMemMb(server.pid).hwm),
  };
  for (const s of sockets) s.close();
  await stopBenchServer(server);
  server = undefined;
  console.log(JSON.stringify(result));
} catch (err) {
  console.error(err);
  process.exitCode = 2;
} finally {
  for (const s of sockets) s.close();
  if (server) await stopBenchServer(server).catch(() => undefined);
  await db.drop().catch(() => undefined);
}
