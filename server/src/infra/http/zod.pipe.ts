import { applyDecorators, Body, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { FieldError } from '@yishi/shared';
import { z, type ZodType } from 'zod';
import { AppError } from '../errors/app-error';

/** Parses a request part with its zod schema; a failure is a 400 naming every failing field. */
export class ZodPipe<T extends ZodType> implements PipeTransform<unknown, z.output<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.output<T> {
    const parsed = this.schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    throw new AppError('VALIDATION_FAILED', { fields: toFieldErrors(parsed.error) });
  }
}

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/** The body, validated by the schema, and documented in OpenAPI from the same schema. */
export function ValidBody<T extends ZodType>(schema: T): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
    if (key) ApiBody({ schema: jsonSchema(schema, 'input') as object })(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

/** The query string, validated by the schema. */
export function ValidQuery<T extends ZodType>(schema: T): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodPipe(schema))(target, key, index);
    if (!key) return;
    const props = (jsonSchema(schema, 'input').properties ?? {}) as Record<string, object>;
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    applyDecorators(...Object.entries(props).map(([name, s]) => ApiQuery({ name, required: false, schema: s })))(target, key, descriptor);
  };
}

function jsonSchema(schema: ZodType, io: 'input' | 'output'): { properties?: unknown } & Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as { properties?: unknown } & Record<string, unknown>;
}
