import { ANY_JSON } from '../../common/openapi/any-json.js';
import { toOpenApi31, upgradeSchema } from './openapi-31.js';

describe('toOpenApi31', () => {
  it('turns nullable into a null type, and adds null to a nullable enum', () => {
    expect(upgradeSchema({ type: 'string', format: 'date-time', nullable: true })).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(upgradeSchema({ type: 'string', enum: ['a', 'b'], nullable: true })).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });

  it('puts a nullable reference in a oneOf with null, keeping its description (3.0 could not say this)', () => {
    const job = { $ref: '#/components/schemas/JobError' };
    expect(upgradeSchema({ nullable: true, type: 'object', description: 'why', allOf: [job] })).toEqual({ description: 'why', oneOf: [job, { type: 'null' }] });
    expect(upgradeSchema({ ...job, nullable: true })).toEqual({ oneOf: [job, { type: 'null' }] });
  });

  it('unwraps a lone allOf reference, turns example into examples and drops nullable: false', () => {
    expect(upgradeSchema({ allOf: [{ $ref: '#/x' }], description: 'd', example: 'e', nullable: false })).toEqual({ $ref: '#/x', description: 'd', examples: ['e'] });
  });

  it('makes a property marked as any JSON the empty schema', () => {
    expect(upgradeSchema({ type: 'object', description: 'anything', [ANY_JSON]: true })).toEqual({ description: 'anything' });
  });

  it('upgrades every schema of a document, nested ones included, and the version', () => {
    const document = {
      openapi: '3.0.0',
      paths: {
        '/x': {
          get: {
            parameters: [{ name: 'q', in: 'query', schema: { type: 'string', nullable: true } }],
            responses: { '200': { content: { 'application/json': { schema: { type: 'array', items: { type: 'integer', nullable: true } } } } } },
          },
        },
      },
      components: { schemas: { A: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'number', nullable: true } } } } } } },
    };
    const upgraded = toOpenApi31(document);
    expect(upgraded.openapi).toBe('3.1.0');
    expect(upgraded.paths['/x'].get.parameters[0].schema).toEqual({ type: ['string', 'null'] });
    expect(upgraded.paths['/x'].get.responses['200'].content['application/json'].schema.items).toEqual({ type: ['integer', 'null'] });
    expect(upgraded.components.schemas.A.properties.b.properties.c).toEqual({ type: ['number', 'null'] });
    expect(document.openapi).toBe('3.0.0');
  });
});
