import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface MediaType {
  schema?: object;
}
interface HeaderDoc {
  required?: boolean;
  schema?: object;
}
interface ResponseDoc {
  content?: Record<string, MediaType>;
  headers?: Record<string, HeaderDoc>;
}
interface OperationDoc {
  operationId: string;
  responses: Record<string, ResponseDoc>;
}
interface Route {
  template: string;
  pattern: RegExp;
  /** Literal segments first: /jobs/progress must win over /jobs/{id}. */
  literalSegments: number;
  operations: Record<string, OperationDoc>;
}

/** Routes the contract deliberately leaves out (Swagger UI, the contract documents, the dashboard, metrics, Bull Board). */
const UNDOCUMENTED = [/^\/docs(-json)?(\/|$)/, /^\/asyncapi\.json$/, /^\/dashboard(\/|$)/, /^\/metrics$/, /^\/admin\/queues(\/|$)/, /^\/uploads(\/|$)/];

export interface ObservedResponse {
  method: string;
  url: URL;
  status: number;
  headers: Headers;
  /** The body text; undefined for a stream that is not read (text/event-stream). */
  body: string | undefined;
}

/**
 * Checks live answers against docs/openapi.json (the checked-in contract, which another test proves
 * equal to the served one): the operation exists, the status is documented, the content type is
 * documented for it, the body satisfies the schema (Ajv, JSON Schema 2020-12 with formats), and the
 * required headers are there and well formed. Returns the mismatches (empty: the answer conforms).
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(documentPath = resolve('docs/openapi.json')) {
    const document = JSON.parse(readFileSync(documentPath, 'utf8')) as { paths: Record<string, Record<string, OperationDoc>> };
    ajvFormats.default(this.ajv);
    this.ajv.addSchema(document, 'urn:longhaul:openapi');
    this.routes = Object.entries(document.paths)
      .map(([template, operations]) => ({
        template,
        operations,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literalSegments: template.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
      }))
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  check(answer: ObservedResponse): string[] {
    const path = answer.url.pathname;
    const where = `${answer.method} ${path}${answer.url.search} → ${answer.status}`;
    if (UNDOCUMENTED.some((pattern) => pattern.test(path))) return [];
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    const method = answer.method.toLowerCase();
    const operation = route?.operations[method];
    if (!route || !operation) return answer.status === 404 ? [] : [`${where}: no such operation in the contract`];
    const key = this.responseKey(operation, answer.status);
    if (!key) return [`${where}: status ${answer.status} is not documented for ${operation.operationId}`];
    const response = operation.responses[key];
    const pointer = `urn:longhaul:openapi#/paths/${escape(route.template)}/${method}/responses/${escape(key)}`;
    return [...this.checkHeaders(where, response, pointer, answer.headers), ...this.checkBody(where, response, pointer, answer)];
  }

  private responseKey(operation: OperationDoc, status: number): string | undefined {
    const keys = [String(status), `${String(status)[0]}XX`, 'default'];
    return keys.find((key) => key in operation.responses);
  }

  private checkHeaders(where: string, response: ResponseDoc, pointer: string, headers: Headers): string[] {
    return Object.entries(response.headers ?? {}).flatMap(([name, header]) => {
      const value = headers.get(name);
      if (value === null) return header.required ? [`${where}: required header ${name} is missing`] : [];
      if (!header.schema) return [];
      const validate = this.validator(`${pointer}/headers/${escape(name)}/schema`);
      const mismatch = `${where}: header ${name}: ${value} does not match its schema`;
      const typed = /^-?\d+$/.test(value) ? Number(value) : value;
      return validate(typed) || validate(value) ? [] : [mismatch];
    });
  }

  private checkBody(where: string, response: ResponseDoc, pointer: string, answer: ObservedResponse): string[] {
    const documented = Object.keys(response.content ?? {});
    const contentType = (answer.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const empty = answer.body === '' || (answer.body === undefined && !contentType);
    if (documented.length === 0) return empty ? [] : [`${where}: sends a body (${contentType || 'no content type'}) the contract does not document`];
    if (empty) return [`${where}: sends no body; the contract documents ${documented.join(', ')}`];
    if (!documented.includes(contentType)) return [`${where}: content type ${contentType} is not documented (only ${documented.join(', ')})`];
    if (answer.body === undefined) return [];
    const validate = this.validator(`${pointer}/content/${escape(contentType)}/schema`);
    let value: unknown = answer.body;
    if (contentType.endsWith('json')) {
      try {
        value = JSON.parse(answer.body);
      } catch {
        return [`${where}: the body is not JSON`];
      }
    }
    if (validate(value)) return [];
    return [`${where}: the body does not match its schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}\n    body: ${answer.body.slice(0, 500)}`];
  }

  /** Validates a value against the schema at a pointer of the document (one SSE data line, say). */
  validates(schemaPointer: string, value: unknown): string | null {
    const validate = this.validator(`urn:longhaul:openapi#${schemaPointer}`);
    return validate(value) ? null : this.ajv.errorsText(validate.errors, { separator: '; ' });
  }

  private validator(ref: string): ValidateFunction {
    const known = this.compiled.get(ref);
    if (known) return known;
    const validate = this.ajv.compile({ $ref: ref });
    this.compiled.set(ref, validate);
    return validate;
  }
}

/** JSON Pointer escaping of one reference token, URI-encoded for use in a $ref. */
function escape(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}
