// @ts-nocheck
import type { ApiError } from '../errors/error-codes';

/**
 * What every client command is acknowledged with: `{ ok: true, ...result }` once the change is
 * committed, or `{ ok: false, error }` with a catalogue code, in which case nothing changed.
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

/** The callback a client passes as the last argument of every command. */
export type AckFn<T extends object = object> = (ack: Ack<T>) => void;
