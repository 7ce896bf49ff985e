import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return flatten(errors, prefix);
}

/** Validates plain data against a class-validator class; the same check serves HTTP, Kafka and workers. */
export async function validateObject<T extends object>(
  cls: new () => T,
  data: unknown,
  fieldPrefix = '',
): Promise<ValidationOutcome<T>> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ field: fieldPrefix || '(body)', message: `${fieldPrefix || 'body'} must be an object` }] };
  }
  const instance = plainToInstance(cls, data);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) return { ok: false, errors: toFieldErrors(errors, fieldPrefix) };
  return { ok: true, value: instance };
}
