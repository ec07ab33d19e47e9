import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** What every log line written while one command runs says about that command. */
interface RequestContext {
  requestId: string;
}

const context = new AsyncLocalStorage<RequestContext>();

/** The id of the HTTP request or socket command being handled here, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/** Runs `work` as one command: whatever it logs, however deep, carries `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return context.run({ requestId }, work);
}

/** A new id for a command that arrives without one (a socket command). */
export const newRequestId = (): string => randomUUID();

/**
 * Express middleware: the rest of the request runs under the id pino-http gave it. It must come
 * after the body parsers, which resume the request from the socket's own async context.
 */
export function requestContext(req: Request, _res: Response, next: NextFunction): void {
  withRequestId(String((req as Request & { id?: unknown }).id ?? newRequestId()), next);
}
