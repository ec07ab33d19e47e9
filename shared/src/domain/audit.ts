/**
 * The audit log's format, shared so that anyone can check a chain or a receipt.
 *
 * Each proposal has one chain (closed minutes have one too, keyed by their id). Entry n is
 * `{ hash, prevHash, body }` where `body` is the canonical JSON of the entry (below), `prevHash`
 * is entry n−1's hash (for n = 1 the chain's genesis, sha256("yishi:audit:v1:" + chain id)),
 * and `hash = sha256(prevHash + body)` in lowercase hex over UTF-8. A ballot's receipt is the hash of its entry.
 */

/** What an entry records. */
export const AUDIT_KINDS = [
  'revision.frozen',
  'round.opened',
  'ballot.cast',
  'ballot.changed',
  'round.closed',
  'signoff.given',
  'signoff.refused',
  /** The chair changed which organisations must sign off before the proposal can be adopted. */
  'sign_offs.required',
  'proposal.adopted',
  /** Stored edits the document could not be loaded with were set aside (they are kept, not deleted). */
  'doc.quarantined',
  /** A ballot paper with a one-time code was printed for a household (a reprint voids the earlier paper). */
  'paper.issued',
  /** A household disputes the paper ballot entered in its name. */
  'paper.disputed',
  /** The chair answers a dispute, on the record. */
  'paper.dispute_answered',
  /** Withdrawn (with the reason) or archived by the chair. */
  'proposal.withdrawn',
  'proposal.archived',
  /** On the adopted proposal's chain: an amendment of it was started. */
  'proposal.amended',
  /** The chair invited an organisation or a person to edit the proposal, or withdrew the invitation. */
  'edit.granted',
  'edit.revoked',
  /** On the minutes' own chain (keyed by the minutes' id): the chair closed the minutes, frozen with their hash. */
  'minutes.closed',
  /** A public notice (公示) of the adopted decision or a project's acceptance, with its objection period. */
  'notice.published',
  /** An objection raised during a notice's objection period: audited like a ballot, its hash is the receipt. */
  'notice.objection',
  /** The chair's answer to an objection, on the record. */
  'notice.answered',
  /** A notice withdrawn, with the reason. */
  'notice.withdrawn',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The prefix of a chain's genesis value. */
export const AUDIT_GENESIS_PREFIX = 'yishi:audit:v1:';

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always
 * gives the same bytes. Only plain data is allowed: numbers must be safe integers (money, areas
 * and counts are integers here, and a float would not survive every JSON implementation alike).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new RangeError(`canonical JSON takes safe integers only, got ${value}`);
      return String(value);
    case 'object': {
      // Appending to one string rather than mapping and joining: every ballot's audit entry is
      // built here, and the intermediate arrays were most of what that allocated.
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) continue;
        out += (out.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + canonicalJson(v);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}
