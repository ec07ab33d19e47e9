import { ERRORS, type ErrorCode, type FieldError } from '@yishi/shared';

/**
 * The one exception the application throws on purpose. It carries a catalogue code; the HTTP
 * filter and the socket ack both turn it into `{ code, message, fields?, details? }`.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly extra: { fields?: FieldError[]; details?: unknown; message?: string } = {},
  ) {
    super(extra.message ?? ERRORS[code].en);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}
