import { ValidateIf } from 'class-validator';

/**
 * An optional property: it may be left out, but if present it is validated — `null` included, so
 * `"callbackUrl": null` is a 400 naming the field, not a value that slips past its checks.
 * (class-validator's IsOptional skips null too; use it only where null means "clear this".)
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
