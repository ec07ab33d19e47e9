import { randomUUID } from 'node:crypto';
import { SOCKET_PARSER } from '@yishi/shared';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { writeParagraph } from './docs';
import { signIn } from './server-process';

/** A voter's connection to one node, and the households it casts for. */
export interface Voter {
  socket: Socket;
  households: string[];
  close(): void;
}

/**
 * Adds a building of `households` units to the demo compound (one owner each) and `voters`
 * residents, each the designated voter of an equal share of them. Returns the building and the
 * voters' tokens with their households.
 */
export async function votingBuilding(databaseUrl: string, baseUrl: string, households: number, voters: number, name = '7号楼') {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const [compound] = (await db.query(`SELECT id FROM compound WHERE name = '霞光里35号院'`)).rows;
    const [building] = (
      await db.query(`INSERT INTO building (compound_id, name, sort) VALUES ($1, $2, 70) RETURNING id`, [compound.id, name])
    ).rows;
    const [gate] = (
      await db.query(`INSERT INTO building_gate (building_id, name, sort) VALUES ($1, '1单元', 1) RETURNING id`, [building.id])
    ).rows;
    const ids: string[] = (
      await db.query(
        `INSERT INTO household (compound_id, building_id, gate_id, unit, area_centi_m2, developer_held)
         SELECT $1, $2, $3, 'U' || i, 4000 + (i * 37) % 5000, false FROM generate_series(1, $4) AS i RETURNING id`,
        [compound.id, building.id, gate.id, households],
      )
    ).rows.map((r) => r.id);
    // One owner per unit, so every unit is one head.
    await db.query(
      `WITH o AS (INSERT INTO owner (compound_id, name) SELECT $1, h::text FROM unnest($2::uuid[]) AS h RETURNING id, name)
       INSERT INTO household_owner (household_id, owner_id) SELECT name::uuid, id FROM o`,
      [compound.id, ids],
    );
    const out: Array<{ login: string; households: string[] }> = [];
    for (let v = 0; v < voters; v++) {
      const login = `${name}voter${v}`;
      const [u] = (
        await db.query(
          `INSERT INTO app_user (username, display_name, password_hash) SELECT $1, $2, password_hash FROM app_user WHERE username = 'chair' RETURNING id`,
          [login, `投票人${v}`],
        )
      ).rows;
      const mine = ids.filter((_, i) => i % voters === v);
      await db.query(`INSERT INTO membership (user_id, compound_id, role, household_id) VALUES ($1, $2, 'resident', $3)`, [
        u.id,
        compound.id,
        mine[0],
      ]);
      await db.query(`UPDATE household SET voter_user_id = $1 WHERE id = ANY($2)`, [u.id, mine]);
      out.push({ login, households: mine });
    }
    // Ten sign-ins at a time: the server hashes passwords on several threads.
    const tokens = [];
    for (let i = 0; i < out.length; i += 10)
      tokens.push(
        ...(await Promise.all(out.slice(i, i + 10).map(async (o) => ({ ...o, token: (await signIn(baseUrl, o.login)).accessToken })))),
      );
    return { compoundId: compound.id as string, buildingId: building.id as string, households: ids, voters: tokens };
  } finally {
    await db.end();
  }
}

export async function connectVoter(url: string, token: string, households: string[]): Promise<Voter> {
  const socket = io(url, { parser: SOCKET_PARSER, transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, households, close: () => socket.close() };
}

export const emit = (s: Socket, event: string, payload: unknown): Promise<any> => s.timeout(20_000).emitWithAck(event, payload);

export const castBallot = (
  s: Socket,
  round: { id: string; revisionId: string },
  householdId: string,
  choice: string,
  ballotId = randomUUID(),
) =>
  emit(s, 'vote:cast', { roundId: round.id, ballotId, householdId, revisionId: round.revisionId, choice }).then((ack) => ({
    ...ack,
    ballotId,
    householdId,
    choice,
  }));

/** Calls the API as JSON; throws on an unexpected status. */
export async function call<T = any>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  expect = [200, 201],
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A proposal with a frozen revision and an open round over the given buildings. */
export async function openRound(
  base: string,
  chair: string,
  compoundId: string,
  buildingIds: string[],
  extra: Record<string, unknown> = {},
) {
  const p = await call(base, chair, 'POST', `/api/compounds/${compoundId}/proposals`, { title: '7号楼外立面改造', kind: 'renovation' });
  // Only a proposal with text is frozen: write it as an editor would.
  await writeParagraph(base, chair, p.id, '7号楼外立面保温改造。');
  const rev = await call(base, chair, 'POST', `/api/compounds/${compoundId}/proposals/${p.id}/revisions`);
  return call(base, chair, 'POST', `/api/compounds/${compoundId}/proposals/${p.id}/rounds`, {
    revisionNumber: rev.number,
    question: '是否同意改造方案？',
    rule: 'simple_majority',
    buildingIds,
    ...extra,
  });
}

/** A cast the server acknowledged. */
export interface AckedCast {
  ballotId: string;
  householdId: string;
  receipt: string;
}

/**
 * What a restarted node must hold of the casts it acknowledged (after a crash or a drain): each
 * stored with its receipt, one audit entry per stored cast, one counted ballot per household,
 * and none counted older than the household's last acknowledged cast.
 */
export async function expectAckedCastsStored(pg: Client, roundId: string, acked: AckedCast[]): Promise<void> {
  const casts = (await pg.query(`SELECT ballot_id, receipt, seq FROM ballot_cast WHERE round_id = $1`, [roundId])).rows;
  const receiptOf = new Map(casts.map((r) => [r.ballot_id, r.receipt]));
  expect(acked.filter((a) => receiptOf.get(a.ballotId) !== a.receipt)).toEqual([]);
  const [{ entries }] = (
    await pg.query(`SELECT count(*)::int AS entries FROM audit_entry WHERE round_id = $1 AND kind LIKE 'ballot.%'`, [roundId])
  ).rows;
  expect(entries).toBe(casts.length);
  const counted = (await pg.query(`SELECT household_id, seq FROM ballot WHERE round_id = $1`, [roundId])).rows;
  expect(new Set(counted.map((r) => r.household_id)).size).toBe(counted.length);
  const seqOf = new Map(casts.map((r) => [r.receipt, Number(r.seq)]));
  const lastAcked = new Map<string, number>();
  for (const a of acked) lastAcked.set(a.householdId, Math.max(lastAcked.get(a.householdId) ?? 0, seqOf.get(a.receipt)!));
  expect(counted.filter((r) => Number(r.seq) < (lastAcked.get(r.household_id) ?? 0))).toEqual([]);
}
