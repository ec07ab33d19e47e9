import type { EntityManager } from 'typeorm';
import type { CastRequest } from './ballot-batcher';

/** A reason given with a vote against or an abstention becomes an objection thread on the proposal. */
export async function writeObjections(m: EntityManager, proposalId: string, roundId: string, casts: CastRequest[]): Promise<void> {
  if (casts.length === 0) return;
  const authors = casts.map((c) => c.voterUserId ?? c.recordedBy);
  const names: Array<{ id: string; display_name: string }> = await m.query(`SELECT id, display_name FROM app_user WHERE id = ANY($1)`, [
    [...new Set(authors)],
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.display_name]));
  await m.query(
    `INSERT INTO comment (id, proposal_id, thread_id, author_id, author_name, body, anchor_start, anchor_end, quote, round_id, objection)
     SELECT g, $1, g, a, n, b, s, e, q, $2, o
     FROM (SELECT gen_random_uuid() AS g, * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bytea[], $7::bytea[], $8::text[], $9::text[]) AS t(a, n, b, s, e, q, o)) x`,
    [
      proposalId,
      roundId,
      authors,
      authors.map((a) => nameOf.get(a) ?? ''),
      casts.map((c) => c.reason!),
      casts.map((c) => (c.anchor ? Buffer.from(c.anchor.start, 'base64') : null)),
      casts.map((c) => (c.anchor ? Buffer.from(c.anchor.end, 'base64') : null)),
      casts.map((c) => c.anchor?.quote ?? null),
      casts.map((c) => c.choice),
    ],
  );
}
