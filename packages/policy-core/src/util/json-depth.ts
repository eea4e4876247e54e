/**
 * The nesting budget of JSON read from users: claims files, token headers and payloads, and the
 * JSON text given to `JmesPath` and `JsonToClaimValue`. `JSON.parse` reads any depth, but
 * `JSON.stringify` and every later walk recurse, so a value nested 200,000 deep overflows the
 * stack far from where it came in. The text is measured before it is parsed, in one pass without
 * recursion, and refused at the bracket that goes too deep.
 */

/** The deepest JSON accepted: arrays and objects nested at most this many levels. */
export const MAX_JSON_DEPTH = 256;

/**
 * The offset of the first `[` or `{` that opens level `MAX_JSON_DEPTH + 1` of `text` (outside
 * strings), or -1 when the text nests no deeper than the limit. Does not validate the JSON.
 */
export function jsonTooDeepAt(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: backslash escapes the next character.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** The message for JSON nested too deeply. */
export function jsonTooDeepMessage(): string {
  return `nested more than ${MAX_JSON_DEPTH} levels deep`;
}
