import { ANY_JSON } from '../../common/openapi/any-json.js';
import { mapDocumentSchemas, type Schema } from './schema-walk.js';

/** Keywords that describe a schema rather than constrain it: they stay beside a nullable reference. */
const ANNOTATIONS = ['description', 'title', 'readOnly', 'writeOnly', 'deprecated', 'examples', 'default'];

/**
 * @nestjs/swagger writes OpenAPI 3.0 schemas; this rewrites them as OpenAPI 3.1 (JSON Schema 2020-12):
 * `nullable` becomes a `null` type (or a `oneOf` with null beside a reference, which 3.0's `nullable`
 * could never express), `example` becomes `examples`, and a lone `allOf` reference becomes the reference.
 */
export function toOpenApi31<T extends object>(document: T): T {
  const upgraded = mapDocumentSchemas(document, upgradeSchema) as T & { openapi: string };
  upgraded.openapi = '3.1.0';
  return upgraded;
}

export function upgradeSchema(input: Schema): Schema {
  const schema: Schema = { ...input };
  if (schema[ANY_JSON] === true) {
    const annotations = Object.fromEntries(ANNOTATIONS.filter((key) => key in schema).map((key) => [key, schema[key]]));
    return annotations;
  }
  if ('example' in schema) {
    schema.examples = [schema.example];
    delete schema.example;
  }
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && typeof (allOf[0] as Schema).$ref === 'string') {
    delete schema.allOf;
    delete schema.type;
    schema.$ref = (allOf[0] as Schema).$ref;
  }
  if (schema.nullable !== true) {
    delete schema.nullable;
    return schema;
  }
  delete schema.nullable;
  if (typeof schema.$ref === 'string') {
    const annotations = Object.fromEntries(ANNOTATIONS.filter((key) => key in schema).map((key) => [key, schema[key]]));
    return { ...annotations, oneOf: [{ $ref: schema.$ref }, { type: 'null' }] };
  }
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  return schema;
}
