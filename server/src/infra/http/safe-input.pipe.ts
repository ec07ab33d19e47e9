import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { findUnsafeText } from '@yishi/shared';
import { AppError } from '../errors/app-error';

/**
 * Runs first on every body, query and path parameter of every route (registered globally in
 * create-app.ts): text the database cannot store (NUL, lone surrogates) is a 400 naming the
 * field, before any route-specific pipe or schema sees it.
 */
export class SafeInputPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    const fields = findUnsafeText(value, meta.data ? [meta.data] : []);
    if (fields.length) throw new AppError('VALIDATION_FAILED', { fields });
    return value;
  }
}
