import { mapDocumentSchemas } from './schema-walk.js';

const PREFIX = '#/components/schemas/';

/** Names a class name cannot give well (the status view would otherwise take the status enum's name). */
const EXPLICIT: Record<string, string> = { JobStatusDto: 'JobStatusView', SubmitJobDto: 'JobSubmission', ScheduleJobDto: 'ScheduledJob', JobMessage: 'KafkaJobMessage' };

/** Generated clients name their types after schemas: `Job`, not `JobDto`. */
export function publicSchemaName(name: string): string {
  return EXPLICIT[name] ?? name.replace(/Dto$/, '');
}

/** Renames every component schema by `publicSchemaName` and rewrites the references to them. */
export function withPublicSchemaNames<T extends object>(document: T): T {
  const schemas = (document as { components?: { schemas?: Record<string, unknown> } }).components?.schemas ?? {};
  const renamed = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const target = publicSchemaName(name);
    const clash = [...renamed.entries()].find(([, other]) => other === target);
    if (clash) throw new Error(`schemas ${clash[0]} and ${name} would both be called ${target}`);
    renamed.set(name, target);
  }
  const rewritten = mapDocumentSchemas(document, (schema) => {
    if (typeof schema.$ref !== 'string' || !schema.$ref.startsWith(PREFIX)) return schema;
    const name = schema.$ref.slice(PREFIX.length);
    return { ...schema, $ref: PREFIX + (renamed.get(name) ?? name) };
  });
  const discriminated = rewriteMappings(rewritten, renamed);
  const components = (discriminated as { components: { schemas: Record<string, unknown> } }).components;
  components.schemas = Object.fromEntries(Object.entries(components.schemas).map(([name, schema]) => [renamed.get(name) ?? name, schema]));
  return discriminated;
}

/** Discriminator mappings hold references as strings, out of the walker's reach. */
function rewriteMappings<T extends object>(document: T, renamed: Map<string, string>): T {
  return mapDocumentSchemas(document, (schema) => {
    const discriminator = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!discriminator?.mapping) return schema;
    const mapping = Object.fromEntries(
      Object.entries(discriminator.mapping).map(([value, ref]) => {
        const name = ref.startsWith(PREFIX) ? ref.slice(PREFIX.length) : ref;
        return [value, PREFIX + (renamed.get(name) ?? name)];
      }),
    );
    return { ...schema, discriminator: { ...discriminator, mapping } };
  });
}
