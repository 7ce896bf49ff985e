import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { validateObject } from './validate-object.js';

class Window {
  @IsInt()
  @Min(1)
  size: number;
}

class Payload {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  @Max(10)
  count?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => Window)
  window?: Window;
}

describe('validateObject', () => {
  it('returns a typed instance of the class for valid data', async () => {
    const outcome = await validateObject(Payload, { name: 'a', count: 3, window: { size: 2 } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value).toBeInstanceOf(Payload);
    expect(outcome.value.window).toBeInstanceOf(Window);
    expect(outcome.value).toEqual({ name: 'a', count: 3, window: { size: 2 } });
  });

  it('names each failing field, prefixed, with nested paths', async () => {
    const outcome = await validateObject(Payload, { name: 5, count: 11, window: { size: 0 } }, 'payload');
    expect(outcome).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { field: 'payload.name', message: 'name must be a string' },
        { field: 'payload.count', message: 'count must not be greater than 10' },
        { field: 'payload.window.size', message: 'size must not be less than 1' },
      ]),
    });
    if (outcome.ok) return;
    expect(outcome.errors).toHaveLength(3);
  });

  it('names fields without a prefix', async () => {
    const outcome = await validateObject(Payload, {});
    expect(outcome).toEqual({ ok: false, errors: [{ field: 'name', message: 'name must be a string' }] });
  });

  it('rejects properties the class does not declare', async () => {
    const outcome = await validateObject(Payload, { name: 'a', extra: true }, 'payload');
    expect(outcome).toEqual({ ok: false, errors: [{ field: 'payload.extra', message: 'property extra should not exist' }] });
  });

  it.each([
    ['null', null],
    ['an array', [{ name: 'a' }]],
    ['a string', 'name=a'],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s where an object is needed, naming the field', async (_label, data) => {
    expect(await validateObject(Payload, data, 'payload')).toEqual({
      ok: false,
      errors: [{ field: 'payload', message: 'payload must be an object' }],
    });
    expect(await validateObject(Payload, data)).toEqual({
      ok: false,
      errors: [{ field: '(body)', message: 'body must be an object' }],
    });
  });
});
