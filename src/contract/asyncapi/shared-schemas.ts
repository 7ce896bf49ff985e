import { mapSchemaDeep, type Schema } from '../openapi/schema-walk.js';

const PREFIX = '#/components/schemas/';

/**
 * The OpenAPI component schemas the given roots need (they and everything they reference), in the
 * AsyncAPI schema dialect: OpenAPI's discriminator object becomes AsyncAPI's discriminator property name.
 * References keep their paths: both documents keep schemas under #/components/schemas.
 */
export function sharedSchemas(openApiSchemas: Record<string, Schema>, roots: readonly string[]): Record<string, Schema> {
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    const schema = openApiSchemas[name];
    if (!schema) throw new Error(`the OpenAPI document has no schema ${name} to share`);
    needed.add(name);
    mapSchemaDeep(schema, (part) => {
      if (typeof part.$ref === 'string' && part.$ref.startsWith(PREFIX)) visit(part.$ref.slice(PREFIX.length));
      return part;
    });
  };
  roots.forEach(visit);
  return Object.fromEntries(
    [...needed].sort().map((name) => [
      name,
      mapSchemaDeep(openApiSchemas[name], (part) => {
        const discriminator = part.discriminator as { propertyName?: string } | undefined;
        return discriminator?.propertyName ? { ...part, discriminator: discriminator.propertyName } : part;
      }),
    ]),
  );
}
