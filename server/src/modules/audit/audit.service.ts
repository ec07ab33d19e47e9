import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AUDIT_GENESIS_PREFIX, type AuditKind, canonicalJson } from '@yishi/shared';
import type { EntityManager } from 'typeorm';

/** One entry to append; `body` is the decision-relevant content, stored as canonical JSON. */
export interface AuditAppend {
  kind: AuditKind;
  roundId?: string | null;
  body: Record<string, unknown>;
}

export interface AuditStored {
  seq: number;
  hash: string;
}

/** One stored entry for each appended one, in order: a tuple in gives a tuple of the same length out. */
export type StoredEach<E extends AuditAppend[]> = { [K in keyof E]: AuditStored };

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** The value entry 1 of a proposal's chain links back to. */
export const genesisHash = (chainId: string): string => sha256(AUDIT_GENESIS_PREFIX + chainId);

/** The canonical body of an entry: what is hashed, with its place in the chain inside it. */
export function entryBody(chainId: string, seq: number, kind: AuditKind, at: string, body: Record<string, unknown>): string {
  return canonicalJson({ ...body, v: 1, chain: chainId, seq, kind, at });
}

export const AUDIT_INSERT = 'INSERT INTO audit_entry (chain_id, seq, kind, round_id, body, prev_hash, hash)';

/**
 * Chains entries onto a head (whose row the caller holds locked): their seqs, bodies and hashes
 * as insert columns (seq, kind, round_id, body, prev_hash, hash), and the new head. Pure, so a
 * caller writing many other rows in one statement (the ballot batch) can chain in the same one.
 */
export function link(chainId: string, head: { seq: number; hash: string }, entries: AuditAppend[]) {
  let seq = head.seq;
  let prev = head.hash;
  const at = new Date().toISOString();
  const cols = {
    seq: [] as number[],
    kind: [] as string[],
    round: [] as (string | null)[],
    body: [] as string[],
    prev: [] as string[],
    hash: [] as string[],
  };
  const stored: AuditStored[] = [];
  for (const e of entries) {
    seq += 1;
    const body = entryBody(chainId, seq, e.kind, at, e.body);
    const hash = sha256(prev + body);
    cols.seq.push(seq);
    cols.kind.push(e.kind);
    cols.round.push(e.roundId ?? null);
    cols.body.push(body);
    cols.prev.push(prev);
    cols.hash.push(hash);
    stored.push({ seq, hash });
    prev = hash;
  }
  return { columns: [cols.seq, cols.kind, cols.round, cols.body, cols.prev, cols.hash] as const, stored, head: { seq, hash: prev } };
}

/**
 * The append-only, hash-chained audit log (shared/src/domain/audit.ts gives the format).
 * Entries are appended inside the transaction of the change they record, so a decision and its
 * entry commit together or not at all. Appending locks the chain's head row: entries of one
 * proposal are totally ordered, and a batch of many ballots costs one lock and one insert.
 */
@Injectable()
export class AuditService {
  async append<E extends AuditAppend[]>(m: EntityManager, chainId: string, entries: [...E]): Promise<StoredEach<E>> {
    if (entries.length === 0) return [] as StoredEach<E>;
    await m.query(`INSERT INTO audit_chain (chain_id, head_seq, head_hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [
      chainId,
      genesisHash(chainId),
    ]);
    const [head] = await m.query(`SELECT head_seq, head_hash FROM audit_chain WHERE chain_id = $1 FOR UPDATE`, [chainId]);
    const linked = link(chainId, { seq: Number(head.head_seq), hash: head.head_hash }, entries);
    await m.query(`${AUDIT_INSERT} SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])`, [
      chainId,
      ...linked.columns,
    ]);
    await m.query(`UPDATE audit_chain SET head_seq = $2, head_hash = $3 WHERE chain_id = $1`, [chainId, linked.head.seq, linked.head.hash]);
    return linked.stored as StoredEach<E>;
  }
}
