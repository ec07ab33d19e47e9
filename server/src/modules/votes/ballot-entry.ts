import type { Choice } from '@yishi/shared';

/** What a ballot's audit entry (`ballot.cast` / `ballot.changed`) records, besides its place in the chain. */
export interface BallotEntryFields {
  round: string;
  household: string;
  ballot: string;
  choice: Choice;
  revision: string;
  voter: string | null;
  recordedBy: string;
  viaProxy: boolean;
  assisted: boolean;
  /** The paper ballot's scan hash, or null for an online ballot. */
  paper: string | null;
  /** Who signed a paper ballot; absent for an online one. */
  signer?: string;
  reason: string | null;
}

const str = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));

/**
 * A ballot entry's canonical body, written directly: the same bytes as
 * `entryBody(chain, seq, kind, at, fields)` (canonicalJson of the fields and the chain fields,
 * keys sorted), without the merged object, the sorted key list and the generic walk. Every cast
 * has one, and they were a sixth of what a cast allocated (docs/benchmarks.md). The keys below
 * are in canonicalJson's order; ballot-entry.spec.ts compares the two on random ballots.
 */
export function ballotEntryBody(
  f: BallotEntryFields,
  chain: string,
  seq: number,
  kind: 'ballot.cast' | 'ballot.changed',
  at: string,
): string {
  if (!Number.isSafeInteger(seq)) throw new RangeError(`canonical JSON takes safe integers only, got ${seq}`);
  return (
    `{"assisted":${f.assisted},"at":${str(at)},"ballot":${str(f.ballot)},"chain":${str(chain)},"choice":${str(f.choice)}` +
    `,"household":${str(f.household)},"kind":"${kind}","paper":${str(f.paper)},"reason":${str(f.reason)}` +
    `,"recordedBy":${str(f.recordedBy)},"revision":${str(f.revision)},"round":${str(f.round)},"seq":${seq}` +
    (f.signer === undefined ? '' : `,"signer":${str(f.signer)}`) +
    `,"v":1,"viaProxy":${f.viaProxy},"voter":${str(f.voter)}}`
  );
}
