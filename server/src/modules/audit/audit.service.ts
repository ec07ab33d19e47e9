import { hash as digest } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AUDIT_GENESIS_PREFIX, type AuditKind, canonicalJson } from '@yishi/shared';
import type { EntityManager } from 'typeorm';

/** One entry to append; `body` is the decision-relevant content, stored as canonical JSON. */
export interface AuditAppend {
  kind: AuditKind;
  roundId?: string | null;
  body: object;
  /**
   * Writes the canonical body directly, instead of `entryBody` over `body` (which it must equal):
   * for the entries written thousands of times a second (votes/ballot-entry.ts).
   */
  write?: (chainId: string, seq: number, at: string) => string;
}

export interface AuditStored {
  seq: number;
  hash: string;
}

/** One stored entry for each appended one, in order: a tuple in gives a tuple of the same length out. */
export type StoredEach<E extends AuditAppend[]> = { [K in keyof E]: AuditStored };

/**
 * sha256 of a string's UTF-8 bytes, in hex. One-shot `crypto.hash` (Node 20.12+) is twice as fast
 * as a `Hash` object for half-kilobyte entry bodies (0.9–1.3 against 2.0–2.7 µs), and every cast
 * chains one.
 */
export const sha256 = (s: string): string => digest('sha256', s, 'hex');

/** The value entry 1 of a proposal's chain links back to. */
export const genesisHash = (chainId: string): string => sha256(AUDIT_GENESIS_PREFIX + chainId);

/** The canonical body of an entry: what is hashed, with its place in the chain inside it. */
export function entryBody(chainId: string, seq: number, kind: AuditKind, at: string, body: object): string {
  return canonicalJson({ ...body, v: 1, chain: chainId, seq, kind, at });
}

export const AUDIT_INSERT = 'INSERT INTO audit_entry (chain_id, seq, kind, round_id, body, prev_hash, hash)';

/** The rows of `link(…).rows`, passed as the JSON parameter `param`, for `${AUDIT_INSERT} SELECT chain, * FROM …`. */
export const auditRowsFrom = (param: string): string =>
  `json_to_recordset(${param}::json) AS e(seq bigint, kind text, round_id uuid, body text, prev_hash text, hash text)`;

/**
 * Chains entries onto a head (whose row the caller holds locked): their rows (seq, kind,
 * round_id, body, prev_hash, hash) as one JSON text for `auditRowsFrom`, and the new head. Pure,
 * so a caller writing many other rows in one statement (the ballot batch) can chain in the same
 * one. One JSON parameter rather than six arrays: `pg` builds an array literal element by
 * element, escaping each, and for a ballot batch that was a fifth of what the node allocated
 * (docs/benchmarks.md, "Fewer allocations per cast").
 */
export function link(chainId: string, head: { seq: number; hash: string }, entries: AuditAppend[]) {
  let seq = head.seq;
  let prev = head.hash;
  const at = new Date().toISOString();
  const rows: Array<{ seq: number; kind: string; round_id: string | null; body: string; prev_hash: string; hash: string }> = [];
  const stored: AuditStored[] = [];
  for (const e of entries) {
    seq += 1;
    const body = e.write ? e.write(chainId, seq, at) : entryBody(chainId, seq, e.kind, at, e.body);
    const hash = sha256(prev + body);
    rows.push({ seq, kind: e.kind, round_id: e.roundId ?? null, body, prev_hash: prev, hash });
    stored.push({ seq, hash });
    prev = hash;
  }
  return { rows: JSON.stringify(rows), stored, head: { seq, hash: prev } };
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
    await m.query(`${AUDIT_INSERT} SELECT $1, * FROM ${auditRowsFrom('$2')}`, [chainId, linked.rows]);
    await m.query(`UPDATE audit_chain SET head_seq = $2, head_hash = $3 WHERE chain_id = $1`, [chainId, linked.head.seq, linked.head.hash]);
    return linked.stored as StoredEach<E>;
  }
}
