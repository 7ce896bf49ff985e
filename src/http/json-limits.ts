export interface JsonLimits {
  maxDepth: number;
  maxKeys: number;
}

export type JsonShapeProblem = { status: 400; reason: string } | { status: 413; reason: string };

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const COLON = 0x3a; // :

/**
 * One linear pass over a JSON text before it is parsed: how deep it nests and how many object members
 * it has. Parsing and validating stay linear only if neither is unbounded (deep nesting overflows
 * recursive walkers; tens of thousands of keys make class-transformer quadratic), so both are refused
 * up front. Malformed text is left for JSON.parse to refuse.
 */
export function checkJsonShape(text: string, limits: JsonLimits): JsonShapeProblem | null {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth += 1;
      if (depth > limits.maxDepth) return { status: 400, reason: `JSON nested deeper than ${limits.maxDepth} levels` };
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      depth -= 1;
    } else if (code === COLON) {
      keys += 1;
      if (keys > limits.maxKeys) return { status: 413, reason: `JSON body with more than ${limits.maxKeys} object members` };
    }
  }
  return null;
}
