import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';

/** Marks a schema that accepts any JSON value; the contract builder turns it into the JSON Schema `{}`. */
export const ANY_JSON = 'x-any-json';

/** An optional property that may hold any JSON value (swagger would otherwise call it an object). */
export const AnyJsonProperty = (description: string) => ApiPropertyOptional({ description, [ANY_JSON]: true } as ApiPropertyOptions);
