import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** A path id that is not a UUID names nothing: answer 404, as for an unknown id. */
export const UuidParam = new ParseUUIDPipe({ exceptionFactory: () => new AppError('NOT_FOUND') });
