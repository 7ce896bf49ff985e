/**
 * Text PostgreSQL refuses to store: NUL (text and jsonb cannot hold U+0000) and UTF-16 halves
 * without their partner (lone surrogates cannot be encoded as UTF-8). Found anywhere in a value —
 * keys included — they must be refused as bad input before they reach the database.
 */
export interface UnstorableText {
  /** Dotted path of the offending value (`payload.items[2].name`); a key's own path when the key is bad. */
  field: string;
  reason: 'contains a NUL character' | 'contains an unpaired UTF-16 surrogate';
}

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(text: string): UnstorableText['reason'] | null {
  if (NUL.test(text)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

/** The first unstorable string in `value` (depth-first), or null. Iterative: deep input cannot overflow the stack. */
export function findUnstorableText(value: unknown, root = ''): UnstorableText | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = textProblem(current);
      if (reason) return { field: path || '(body)', reason };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) stack.push({ value: current[index], path: `${path}[${index}]` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [key, child] = entries[index];
        const childPath = path ? `${path}.${key}` : key;
        const keyReason = textProblem(key);
        if (keyReason) return { field: path ? `${path}.${JSON.stringify(key)}` : JSON.stringify(key), reason: keyReason };
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}
