/** A JSON Schema as it appears in an OpenAPI or AsyncAPI document (loosely typed: both dialects pass through here). */
export type Schema = Record<string, unknown>;
export type SchemaMap = (schema: Schema) => Schema;

const SUBSCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'] as const;
const SUBSCHEMAS = ['items', 'not', 'additionalProperties', 'contains'] as const;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Applies `map` to a schema and every schema nested in it, innermost first. */
export function mapSchemaDeep(schema: Schema, map: SchemaMap): Schema {
  const copy: Schema = { ...schema };
  if (isSchema(copy.properties)) {
    copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([name, value]: [string, unknown]) => [name, isSchema(value) ? mapSchemaDeep(value, map) : value]));
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = copy[key];
    if (Array.isArray(list)) copy[key] = (list as unknown[]).map((item) => (isSchema(item) ? mapSchemaDeep(item, map) : item));
  }
  for (const key of SUBSCHEMAS) {
    const value = copy[key];
    if (isSchema(value)) copy[key] = mapSchemaDeep(value, map);
  }
  return map(copy);
}

interface DocumentParts {
  components?: { schemas?: Record<string, Schema> } & Partial<Record<'responses' | 'requestBodies' | 'headers' | 'parameters', Record<string, WithContent & WithSchema>>>;
  paths?: Record<string, unknown>;
  webhooks?: Record<string, unknown>;
}

interface WithSchema {
  schema?: Schema;
}
interface WithContent {
  content?: Record<string, WithSchema>;
  headers?: Record<string, WithSchema>;
}

/** Every operation of a paths-like map (the document's paths, or its webhooks). */
export function operationsOf(paths: Record<string, unknown> | undefined): Array<{ path: string; method: string; operation: Record<string, unknown> }> {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  return Object.entries(paths ?? {}).flatMap(([path, item]) =>
    methods.filter((method) => isSchema((item as Record<string, unknown>)[method])).map((method) => ({
      path,
      method,
      operation: (item as Record<string, Record<string, unknown>>)[method],
    })),
  );
}

/** Applies `map` (deeply) to every schema of an OpenAPI document: components, parameters, bodies, responses, headers, webhooks. */
export function mapDocumentSchemas<T extends object>(document: T, map: SchemaMap): T {
  const doc = structuredClone(document) as DocumentParts;
  const deep = (schema: Schema | undefined) => (schema ? mapSchemaDeep(schema, map) : schema);
  const content = (holder: WithContent | undefined) => {
    for (const media of Object.values(holder?.content ?? {})) media.schema = deep(media.schema);
    for (const header of Object.values(holder?.headers ?? {})) header.schema = deep(header.schema);
  };
  const schemas = doc.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) schemas[name] = deep(schemas[name]) as Schema;
  for (const kind of ['responses', 'requestBodies', 'headers', 'parameters'] as const) {
    for (const item of Object.values(doc.components?.[kind] ?? {})) {
      content(item);
      item.schema = deep(item.schema);
    }
  }
  for (const paths of [doc.paths, doc.webhooks]) {
    for (const { operation } of operationsOf(paths)) {
      for (const parameter of (operation.parameters ?? []) as WithSchema[]) parameter.schema = deep(parameter.schema);
      content(operation.requestBody as WithContent | undefined);
      for (const response of Object.values((operation.responses ?? {}) as Record<string, WithContent>)) content(response);
    }
  }
  return doc as T;
}
