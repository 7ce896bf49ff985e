/** A message a producer outside longhaul might write to the jobs topic that no job can come from. */
export interface PoisonMessage {
  key: string;
  value: Buffer;
}

const json = (text: string) => Buffer.from(text, 'utf8');

/** Over BODY_LIMIT_BYTES (what HTTP answers 413 for), under the broker's 1 MB message limit. */
export const HUGE_BYTES = 900_000;
export const POISON_BODY_LIMIT = 262_144;

/**
 * Bad bytes (a NUL or a lone surrogate inside a JSON string, which PostgreSQL cannot store as text
 * or jsonb; a raw NUL byte), not JSON, an unknown type, an out-of-range field, and a huge message.
 */
export function poisonMessages(): PoisonMessage[] {
  return [
    // Rejected before any SQL: the parser or validation already dead-letters these.
    { key: 'poison-not-json', value: json('this is not json {') },
    { key: 'poison-raw-nul', value: Buffer.concat([json('{"type":"sleep","payload":{"result":"a'), Buffer.from([0]), json('b"}}')]) },
    { key: 'poison-unknown-type', value: json('{"type":"no-such-type","payload":{}}') },
    { key: 'poison-out-of-range', value: json('{"type":"sleep","payload":{"ms":10},"maxAttempts":0}') },
    // Valid JSON that PostgreSQL refuses to store (text and jsonb hold no NUL and no lone surrogate).
    { key: 'poison-nul-escape', value: json('{"type":"sleep","payload":{"ms":10,"result":{"text":"a\\u0000b"}},"idempotencyKey":"chaos-poison-nul"}') },
    { key: 'poison-nul-in-key', value: json('{"type":"sleep","payload":{"ms":10},"idempotencyKey":"chaos-\\u0000-key"}') },
    { key: 'poison-lone-surrogate', value: json('{"type":"sleep","payload":{"ms":10,"result":{"text":"\\ud800"}},"idempotencyKey":"chaos-poison-surrogate"}') },
    {
      key: 'poison-huge',
      value: json(`{"type":"sleep","payload":{"ms":10,"result":{"text":"${'x'.repeat(HUGE_BYTES)}"}},"idempotencyKey":"chaos-poison-huge"}`),
    },
  ];
}

export function validMessage(i: number): PoisonMessage {
  return { key: `valid-${i}`, value: json(JSON.stringify({ type: 'sleep', payload: { ms: 20, steps: 1 }, idempotencyKey: `chaos-valid-${i}` })) };
}
