import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { type FieldError, findUnsafeText } from '@yishi/shared';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { AppError } from '../errors/app-error';

/**
 * Runs on every HTTP request once its route is known and its caller authenticated (registered
 * globally in create-app.ts), before any pipe or schema: text the database cannot store (NUL,
 * lone surrogates) in a path parameter, the query or the body is a 400 naming the field.
 * Socket commands get the same check in `SocketCommands.run`, where a refusal must be an ack
 * (a pipe would also run on gateways, and throw past the ack).
 */
export class SafeInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const fields: FieldError[] = [
        ...findUnsafeText(req.params ?? {}),
        ...findUnsafeText(req.query ?? {}),
        ...findUnsafeText(req.body as unknown),
      ];
      if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
    }
    return next.handle();
  }
}
