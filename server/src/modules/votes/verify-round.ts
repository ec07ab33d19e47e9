import {
  canonicalJson,
  type Choice,
  decide,
  type ElectorateHousehold,
  electorateTotals,
  type RuleId,
  tally,
  type VerifyReport,
} from '@yishi/shared';
import { genesisHash, sha256 } from '../audit/audit.service';

/** Runs one SQL query: a TypeORM DataSource's `query` or a pg client's, wrapped; the caller names the rows' shape. */
export type Query = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

type Problem = VerifyReport['problems'][number];

interface RoundRow {
  id: string;
  proposal_id: string;
  status: string;
  rule: RuleId;
  revision_id: string;
  /** The stored electorate's [id, areaCentiM2] pairs, in order. */
  electorate: Array<[unknown, unknown]>;
  result: { tally?: unknown; closeHash?: string } | null;
  passed: boolean | null;
}

interface EntryRow {
  seq: string;
  kind: string;
  round_id: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

/** Audit entries read at once while verifying (see verifyRound). */
const CHAIN_PAGE = 1000;

/** An entry's body as written in the chain: JSON whose fields are compared, not trusted. */
type EntryBody = Record<string, unknown>;

/**
 * Recomputes a round from its proposal's audit chain alone and compares the result with what
 * the tables say. It checks every link and hash of the chain up to its head, rebuilds the
 * electorate from the round.opened entry and the count from the last ballot entry of each
 * household, and reports every disagreement: an entry rewritten, removed or inserted, a ballot
 * row changed, added or deleted, or a stored result that does not follow from the ballots.
 * Used by `GET …/rounds/:id/verify` and by `npm run verify -- <round>`.
 */
export async function verifyRound(query: Query, roundId: string): Promise<VerifyReport> {
  const started = performance.now();
  const problems: Problem[] = [];
  const report = (partial: Partial<VerifyReport>): VerifyReport => ({
    roundId,
    ok: problems.length === 0,
    entriesChecked: 0,
    ballotsCounted: 0,
    headHash: '',
    tally: null,
    passed: null,
    problems,
    ...partial,
    ms: Math.round(performance.now() - started),
  });

  const [round] = await query<RoundRow>(
    // Of the stored electorate only what is compared (id and area, as stored), not the whole JSON.
    `SELECT id, proposal_id, status, rule, revision_id, result, passed,
            (SELECT coalesce(json_agg(json_build_array(e -> 'id', e -> 'areaCentiM2') ORDER BY i), '[]')
               FROM jsonb_array_elements(electorate) WITH ORDINALITY AS x(e, i)) AS electorate
       FROM vote_round WHERE id = $1`,
    [roundId],
  );
  if (!round) {
    problems.push({ code: 'NO_ROUND', message: 'no such round' });
    return report({});
  }
  const chainId = round.proposal_id;
  const [head] = await query<{ head_seq: string; head_hash: string }>(`SELECT head_seq, head_hash FROM audit_chain WHERE chain_id = $1`, [
    chainId,
  ]);
  // The chain is read in pages of CHAIN_PAGE entries, keeping of each only what the checks below
  // need: a round of 5,000 households has over 7,000 entries, and holding them all (rows and
  // parsed bodies) was the largest allocation of a node under bench:votes.
  let prev = genesisHash(chainId);
  let expectSeq = 1;
  let entriesChecked = 0;
  let opened: { seq: number; body: EntryBody } | undefined;
  let closedEntry: { seq: number; body: EntryBody; hash: string } | undefined;
  const ballotProblems: Problem[] = [];
  const last = new Map<string, { choice: Choice; ballot: string; receipt: string; seq: number }>();
  for (let after: string | null = null; ;) {
    const page: EntryRow[] = await query<EntryRow>(
      `SELECT seq, kind, round_id, body, prev_hash, hash FROM audit_entry
         WHERE chain_id = $1 AND ($2::bigint IS NULL OR seq > $2) ORDER BY seq LIMIT ${CHAIN_PAGE}`,
      [chainId, after],
    );
    for (const e of page) {
      // 1. The chain: consecutive, linked, every hash recomputed.
      const seq = Number(e.seq);
      if (seq !== expectSeq) problems.push({ code: 'CHAIN_GAP', message: `entry ${expectSeq} is missing (next is ${seq})`, seq });
      if (e.prev_hash !== prev) problems.push({ code: 'CHAIN_BROKEN', message: `entry ${seq} does not link to the entry before it`, seq });
      if (sha256(e.prev_hash + e.body) !== e.hash)
        problems.push({ code: 'HASH_MISMATCH', message: `entry ${seq} was altered: its hash does not match its content`, seq });
      let body: EntryBody;
      try {
        body = JSON.parse(e.body);
      } catch {
        problems.push({ code: 'BODY_UNREADABLE', message: `entry ${seq} is not JSON`, seq });
        body = {};
      }
      if (body.seq !== seq || body.kind !== e.kind || body.chain !== chainId)
        problems.push({ code: 'ENTRY_MISPLACED', message: `entry ${seq} says it is ${body.kind} #${body.seq}`, seq });
      prev = e.hash;
      expectSeq = seq + 1;
      entriesChecked += 1;

      // The round's own entries, by what their bodies say (checked in 2. below).
      if (body.round !== roundId) continue;
      if (e.kind === 'round.opened') opened ??= { seq, body };
      else if (e.kind === 'round.closed') closedEntry ??= { seq, body, hash: e.hash };
      else if (e.kind === 'ballot.cast' || e.kind === 'ballot.changed') {
        // Entries come in seq order: a ballot after the (first) closing entry is after the close.
        if (closedEntry && seq > closedEntry.seq)
          ballotProblems.push({ code: 'BALLOT_AFTER_CLOSE', message: `entry ${seq} is a ballot recorded after the round closed`, seq });
        if (body.revision !== round.revision_id)
          ballotProblems.push({ code: 'WRONG_REVISION', message: `entry ${seq} is a ballot on another revision`, seq });
        last.set(body.household as string, { choice: body.choice as Choice, ballot: body.ballot as string, receipt: e.hash, seq });
      }
    }
    if (page.length < CHAIN_PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  if (!head || Number(head.head_seq) !== entriesChecked || head.head_hash !== prev) {
    problems.push({ code: 'HEAD_MISMATCH', message: 'the chain does not end where its head says (entries removed from the end?)' });
  }

  // 2. The round, rebuilt from its entries only.
  if (!opened) {
    problems.push({ code: 'NO_OPENING', message: 'the chain has no round.opened entry for this round' });
    return report({ entriesChecked, headHash: prev });
  }
  const electorate: ElectorateHousehold[] = (
    opened.body.electorate as Array<{ id: string; area: number; owners: string[]; developer: boolean }>
  ).map((h) => ({
    id: h.id,
    areaCentiM2: h.area,
    ownerIds: h.owners,
    developerHeld: h.developer,
  }));
  const rule = opened.body.rule as RuleId;
  if (rule !== round.rule || opened.body.revision !== round.revision_id)
    problems.push({ code: 'ROUND_ALTERED', message: 'the round’s rule or revision differs from when it opened' });
  const stored = round.electorate;
  const sameElectorate =
    stored.length === electorate.length && stored.every(([id, area], i) => id === electorate[i]?.id && area === electorate[i]?.areaCentiM2);
  if (!sameElectorate)
    problems.push({ code: 'ELECTORATE_ALTERED', message: 'the stored electorate differs from the one frozen when the round opened' });
  problems.push(...ballotProblems);

  let t;
  try {
    t = tally(electorate, new Map([...last].map(([h, v]) => [h, v.choice])));
  } catch (err) {
    problems.push({ code: 'TALLY_IMPOSSIBLE', message: (err as Error).message });
    return report({ entriesChecked, headHash: prev });
  }
  const decision = decide(rule, electorateTotals(electorate), t);

  // 3. The tables against the chain.
  const rows = await query<{ household_id: string; choice: Choice; ballot_id: string; receipt: string }>(
    `SELECT household_id, choice, ballot_id, receipt FROM ballot WHERE round_id = $1`,
    [roundId],
  );
  const seen = new Set<string>();
  for (const r of rows) {
    seen.add(r.household_id);
    const want = last.get(r.household_id);
    if (!want)
      problems.push({
        code: 'BALLOT_NOT_IN_CHAIN',
        message: `household ${r.household_id} has a counted ballot that the chain does not record`,
        householdId: r.household_id,
      });
    else if (want.choice !== r.choice || want.ballot !== r.ballot_id || want.receipt !== r.receipt)
      problems.push({
        code: 'BALLOT_ALTERED',
        message: `the counted ballot of household ${r.household_id} differs from its last entry (#${want.seq})`,
        householdId: r.household_id,
        seq: want.seq,
      });
  }
  for (const h of last.keys())
    if (!seen.has(h))
      problems.push({
        code: 'BALLOT_MISSING',
        message: `the chain records a ballot of household ${h} that is not counted`,
        householdId: h,
      });

  if (round.status === 'closed') {
    if (!closedEntry) problems.push({ code: 'NO_CLOSING', message: 'the round is closed but the chain has no round.closed entry' });
    else {
      if (canonicalJson(closedEntry.body.tally) !== canonicalJson(t) || closedEntry.body.passed !== decision.passed)
        problems.push({
          code: 'RESULT_MISMATCH',
          message: 'the result recorded at closing does not follow from the ballots in the chain',
          seq: closedEntry.seq,
        });
      const r = round.result;
      if (!r || canonicalJson(r.tally) !== canonicalJson(t) || round.passed !== decision.passed || r.closeHash !== closedEntry.hash)
        problems.push({ code: 'STORED_RESULT_ALTERED', message: 'the stored result of the round differs from the recomputed one' });
    }
  }
  return report({ entriesChecked, ballotsCounted: last.size, headHash: prev, tally: t, passed: decision.passed });
}
