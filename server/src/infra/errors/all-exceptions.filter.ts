import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { type ApiError, ERRORS, type ErrorCode } from '@yishi/shared';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';
import { AppError } from './app-error';

/** Maps HTTP statuses that Nest, Express or a library raise by themselves onto our catalogue. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/**
 * Every error leaves the server as `{ error: ApiError }` with a catalogue code and a message in
 * the caller's language. Only unexpected errors (5xx) are logged, with the request id; no stack
 * trace ever reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(
    private readonly log: Logger,
    private readonly metrics?: Metrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const { status, error } = toApiError(exception, lang(req));
    error.requestId = req.id;
    this.metrics?.error(error.code, 'http');
    if (status >= 500) this.log.error({ err: exception, reqId: req.id, url: req.originalUrl }, 'unexpected error');
    if (res.headersSent) return;
    res.status(status).json({ error });
  }
}

export function toApiError(exception: unknown, language: 'zh' | 'en' = 'zh'): { status: number; error: ApiError } {
  if (exception instanceof AppError) {
    const e = ERRORS[exception.code];
    return {
      status: e.status,
      error: { code: exception.code, message: e[language], fields: exception.extra.fields, details: exception.extra.details },
    };
  }
  const status = httpStatusOf(exception);
  const code = STATUS_CODES[status] ?? (status >= 500 ? (status === 503 ? 'UNAVAILABLE' : 'INTERNAL') : 'BAD_REQUEST');
  return { status: status >= 500 ? ERRORS[code].status : status, error: { code, message: ERRORS[code][language] } };
}

/** Status of an HttpException, a body-parser error (`status`) or a multer error (`code`). */
function httpStatusOf(exception: unknown): number {
  if (exception instanceof HttpException) return exception.getStatus();
  if (databaseUnreachable(exception)) return 503;
  const e = exception as { status?: unknown; code?: unknown } | null;
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 600) return e.status;
  if (e && e.code === 'LIMIT_FILE_SIZE') return 413;
  if (e && typeof e.code === 'string' && e.code.startsWith('LIMIT_')) return 400;
  return 500;
}

/**
 * PostgreSQL connection classes (08…), insufficient resources (53…: a full disk, no memory, too
 * many connections), shutdown and start-up (57P01–57P03), and the pool's own words for them.
 */
const UNREACHABLE_SQLSTATE = /^(08|53|57P0[1-3])/;
const UNREACHABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/;

/** The database cannot be reached or cannot write right now: a passing condition, answered 503 UNAVAILABLE so clients retry. */
export function databaseUnreachable(exception: unknown): boolean {
  const e = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  for (const x of [e, e.driverError]) {
    if (!x) continue;
    if (typeof x.code === 'string' && UNREACHABLE_SQLSTATE.test(x.code)) return true;
    if (typeof x.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/.test(x.code)) return true;
    if (typeof x.message === 'string' && UNREACHABLE_MESSAGE.test(x.message)) return true;
  }
  return false;
}

export function lang(req: Request): 'zh' | 'en' {
  return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh';
}
