import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AppError } from '../../infra/errors/app-error';

/** Yjs client ids one socket may speak for in one document (a tab has one; a reload keeps it). */
export const MAX_CLIENT_IDS_PER_SOCKET = 2;
/** Entries in one awareness message. */
const MAX_ENTRIES = 4;
/** How deeply an awareness state may nest (a caret's relative positions need 4). */
const MAX_DEPTH = 6;

/** Who the server says the sender is: shown to others instead of whatever the client claimed. */
export interface PresenceIdentity {
  name: string;
  color: string;
  role: string;
}

const refuse = (message: string) => new AppError('VALIDATION_FAILED', { message, fields: [{ path: 'message', message }] });

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return Infinity;
  let max = 0;
  for (const v of Object.values(value)) max = Math.max(max, depthOf(v, limit - 1));
  return max + 1;
}

/**
 * Checks an untrusted y-protocols awareness update from one socket and rewrites it: only client
 * ids this socket may speak for (it claims new ones up to a limit, never one someone else holds),
 * states that are small plain objects, and `user` set from the server's record of who is signed
 * in, so nobody can appear under another name, role or colour. Returns the update to apply.
 */
export function guardAwareness(
  message: Uint8Array,
  claim: { owned: Set<number>; heldByOther: (clientId: number) => boolean },
  identity: PresenceIdentity,
): { update: Uint8Array; claimed: number[] } {
  const entries: Array<{ clientId: number; clock: number; state: Record<string, unknown> | null }> = [];
  try {
    const d = decoding.createDecoder(message);
    const n = decoding.readVarUint(d);
    if (n > MAX_ENTRIES) throw refuse('too many awareness entries in one message');
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarString(d);
      const state = JSON.parse(json) as unknown;
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw refuse('an awareness state must be an object');
      if (depthOf(state, MAX_DEPTH + 1) > MAX_DEPTH) throw refuse('the awareness state is nested too deeply');
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(d)) throw refuse('trailing bytes after the awareness update');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refuse('not a y-protocols awareness update');
  }
  const claimed: number[] = [];
  for (const e of entries) {
    if (claim.owned.has(e.clientId) || claimed.includes(e.clientId)) continue;
    if (claim.heldByOther(e.clientId)) throw new AppError('FORBIDDEN', { message: 'that client id belongs to someone else' });
    if (claim.owned.size + claimed.length >= MAX_CLIENT_IDS_PER_SOCKET) throw refuse('too many client ids on one connection');
    claimed.push(e.clientId);
  }
  const out = encoding.createEncoder();
  encoding.writeVarUint(out, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(out, e.clientId);
    encoding.writeVarUint(out, e.clock);
    encoding.writeVarString(out, JSON.stringify(e.state === null ? null : { ...e.state, user: identity }));
  }
  return { update: encoding.toUint8Array(out), claimed };
}
