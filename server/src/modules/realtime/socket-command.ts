import type { Ack } from '@yishi/shared';
import type { Logger } from 'pino';
import type { z, ZodType } from 'zod';
import { AppError } from '../../infra/errors/app-error';
import { toApiError } from '../../infra/errors/all-exceptions.filter';
import { toFieldErrors } from '../../infra/http/zod.pipe';
import type { TokenBucket } from './rate-limiter';

/**
 * The one pipeline every socket command goes through, in every gateway: the socket's rate limits,
 * the payload's zod schema, then the command itself (which authorizes). Whatever goes wrong
 * becomes `{ ok: false, error }` in the caller's language; nothing is thrown at the socket, and
 * only unexpected errors are logged.
 */
export async function socketCommand<S extends ZodType, R extends object>(
  c: { name: string; schema: S; body: unknown; limits: TokenBucket[]; socket: { data?: { language?: 'zh' | 'en'; userId?: string } }; log: Logger },
  run: (payload: z.output<S>) => Promise<R>,
): Promise<Ack<R>> {
  try {
    if (!c.limits.every((bucket) => bucket.take())) throw new AppError('RATE_LIMITED');
    const parsed = c.schema.safeParse(c.body);
    if (!parsed.success) throw new AppError('VALIDATION_FAILED', { fields: toFieldErrors(parsed.error) });
    return { ok: true, ...(await run(parsed.data)) };
  } catch (err) {
    const { status, error } = toApiError(err, c.socket.data?.language);
    if (status >= 500) c.log.error({ err, command: c.name, userId: c.socket.data?.userId }, 'socket command failed');
    return { ok: false, error };
  }
}
