/**
 * A token-level JMESPath pretty-printer for hover: normalises spacing (around `|`, `||`, `&&`,
 * comparisons, after `,` and `:`), and reports unbalanced brackets or unterminated quotes.
 * It does not validate the query (the linter does, with the real JMESPath parser).
 */

/** The result of `formatJmesPath`. */
export type JmesPathFormat = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

const SPACED = new Set(["|", "||", "&&", "==", "!=", "<", "<=", ">", ">="]);
const OPEN: Readonly<Record<string, string>> = { "[": "]", "[?": "]", "{": "}", "(": ")" };

/** Reformats a JMESPath query. */
export function formatJmesPath(query: string): JmesPathFormat {
  const tokens: string[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const ch = query.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") {
      let j = i + 1;
      while (j < n && query.charAt(j) !== ch) j += query.charAt(j) === "\\" ? 2 : 1;
      if (j >= n) return { ok: false, error: `unterminated ${ch === '"' ? "quoted identifier" : ch === "'" ? "raw string" : "literal"} at column ${i + 1}` };
      tokens.push(query.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const two = query.slice(i, i + 2);
    if (["||", "&&", "==", "!=", "<=", ">=", "[?", "[]"].includes(two)) {
      tokens.push(two);
      i += 2;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(query.charAt(j))) j++;
      tokens.push(query.slice(i, j));
      i = j;
      continue;
    }
    if (/[-0-9]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[0-9]/.test(query.charAt(j))) j++;
      tokens.push(query.slice(i, j));
      i = j;
      continue;
    }
    if ("|.*[]{}(),:!<>@&$".includes(ch)) {
      tokens.push(ch);
      i++;
      continue;
    }
    return { ok: false, error: `unexpected character \`${ch}\` at column ${i + 1}` };
  }
  const stack: string[] = [];
  for (const t of tokens) {
    if (OPEN[t]) stack.push(OPEN[t] as string);
    else if (t === "]" || t === "}" || t === ")") {
      if (stack.pop() !== t) return { ok: false, error: `unbalanced \`${t}\`` };
    }
  }
  if (stack.length > 0) return { ok: false, error: `missing \`${stack[stack.length - 1]}\`` };
  let out = "";
  for (const t of tokens) {
    if (SPACED.has(t)) out = `${out.trimEnd()} ${t} `;
    else if (t === "," || t === ":") out = `${out.trimEnd()}${t} `;
    else out += t;
  }
  return { ok: true, text: out.trim() };
}
