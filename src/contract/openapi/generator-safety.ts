import { operationsOf } from './schema-walk.js';

/** Text that ends a JSDoc or Javadoc comment: generators copy descriptions into comments. */
const COMMENT_END = '*/';

/** Fails the build of a document that code generators would choke on, naming what is wrong. */
export function assertGeneratorSafe(document: object): void {
  const problems = [...commentBreakers(document, '$'), ...operationProblems(document)];
  if (problems.length > 0) throw new Error(`the OpenAPI document is not safe for code generators:\n  - ${problems.join('\n  - ')}`);
}

interface DocumentLike {
  paths?: Record<string, unknown>;
  webhooks?: Record<string, unknown>;
  tags?: Array<{ name: string }>;
}

function commentBreakers(value: unknown, at: string): string[] {
  if (typeof value === 'string') return value.includes(COMMENT_END) ? [`${at} contains "${COMMENT_END}"`] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => commentBreakers(item, `${at}[${index}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes(COMMENT_END) ? [`${at} has a key containing "${COMMENT_END}"`] : []),
      ...commentBreakers(item, `${at}.${key}`),
    ]);
  }
  return [];
}

function operationProblems(document: DocumentLike): string[] {
  const declared = new Set((document.tags ?? []).map((tag) => tag.name));
  const seen = new Set<string>();
  return [...operationsOf(document.paths), ...operationsOf(document.webhooks)].flatMap(({ path, method, operation }) => {
    const id = operation.operationId;
    const where = `${method.toUpperCase()} ${path}`;
    const problems: string[] = [];
    if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)) problems.push(`${where} needs an explicit camelCase operationId (got ${String(id)})`);
    else if (seen.has(id)) problems.push(`${where}: operationId ${id} is used twice`);
    else seen.add(id);
    for (const tag of (operation.tags ?? []) as string[]) if (!declared.has(tag)) problems.push(`${where}: tag "${tag}" is not declared`);
    return problems;
  });
}
