import type { PipeTransform } from '@nestjs/common';
import { INT4_MAX } from '@yishi/shared';
import { AppError } from '../errors/app-error';

/**
 * A revision number in a path. Revisions are numbered from 1 in an `integer` column, so anything
 * else (not a whole number, or past int4, which PostgreSQL would refuse with a 500) names
 * nothing: 404, as for an unknown id.
 */
export class RevisionNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= INT4_MAX)) throw new AppError('NOT_FOUND');
    return n;
  }
}

export const RevisionNumber = new RevisionNumberPipe();
