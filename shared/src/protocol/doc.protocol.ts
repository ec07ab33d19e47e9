import { z } from 'zod';
import type { Action } from '../domain/policy';

/**
 * Co-edited documents over Socket.IO. The y-protocols messages (sync step 1, sync step 2,
 * update; awareness) travel unchanged as the `message` bytes; several documents share one
 * connection, told apart by `docId` (a proposal's id).
 */

/** Largest single sync or awareness message a client may send, in bytes. */
export const MAX_DOC_MESSAGE_BYTES = 256 * 1024;
/** Largest a document may grow to (sum of its stored updates), in bytes. */
export const MAX_DOC_BYTES = 8 * 1024 * 1024;
export { DOC_BODY_FIELD } from './doc-fields';

/** The policy-table actions documents need: following one, and changing it. */
export const DOC_ACTIONS = { follow: 'proposal.view', edit: 'proposal.edit' } as const satisfies Record<string, Action>;

/** Binary data: a Uint8Array, or the ArrayBuffer the msgpack parser decodes one into. */
const bytes = z
  .custom<Uint8Array | ArrayBuffer>((v) => v instanceof Uint8Array || v instanceof ArrayBuffer, 'expected binary data')
  .transform((v) => (v instanceof Uint8Array ? v : new Uint8Array(v)));

export const docCommandSchemas = {
  /** Start following a document; the ack says whether this user may edit it. */
  /**
   * `batched`: the client reads several sync messages in one `doc:sync` event (y-sync-wire); a
   * client that does not say so gets each update in an event of its own.
   */
  'doc:join': z.object({ docId: z.uuid(), batched: z.boolean().optional() }),
  'doc:leave': z.object({ docId: z.uuid() }),
  /**
   * A y-protocols sync message. Sync step 1 is answered in the ack (`reply`, a sync step 2).
   * Sync step 2 and update messages are acknowledged only once committed to the database.
   */
  'doc:sync': z.object({ docId: z.uuid(), message: bytes.refine((b) => b.byteLength <= MAX_DOC_MESSAGE_BYTES, 'message too large') }),
  /** A y-protocols awareness update (cursor, name, colour). */
  'doc:awareness': z.object({ docId: z.uuid(), message: bytes.refine((b) => b.byteLength <= 16 * 1024, 'message too large') }),
} as const;

export type DocCommand = keyof typeof docCommandSchemas;
export type DocCommandPayload<C extends DocCommand> = z.input<(typeof docCommandSchemas)[C]>;

export interface DocCommandResults {
  'doc:join': { canEdit: boolean };
  'doc:leave': object;
  'doc:sync': { reply?: Uint8Array };
  'doc:awareness': object;
}

export interface DocServerToClientEvents {
  /** A sync message from the server: its sync step 1 after a join, or others' updates. */
  'doc:sync': (p: { docId: string; message: Uint8Array }) => void;
  /** The document's comment threads changed: fetch them again (`GET …/comments`). */
  'doc:comments': (p: { docId: string }) => void;
  /** Others' awareness (cursors and names), batched. Each state's `user` ({ name, color, role }) is set by the server. */
  'doc:awareness': (p: { docId: string; message: Uint8Array }) => void;
  /**
   * The server's copy of the document was loaded again (its worker was replaced, or stored edits
   * it could not load were set aside): sync again, and resend what the server lacks.
   */
  'doc:reset': (p: { docId: string }) => void;
  /** To the compound's chairs: stored edits of this document were set aside (`count` of them), see the audit log. */
  'doc:quarantined': (p: { docId: string; count: number }) => void;
}
