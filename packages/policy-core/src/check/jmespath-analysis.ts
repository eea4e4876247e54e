/**
 * Static analysis of JMESPath query strings, shared by the JMESPath checks: parse the query with
 * the real JMESPath parser, locate its first error inside the query (the parser itself reports no
 * positions), list unknown function names, and find the common mistakes, then map query offsets
 * back to offsets in the policy text (escapes inside the string literal accounted for).
 */
import { compile, getRegisteredFunctions, tokenize } from "@jmespath-community/jmespath";
import type { Call, StringLiteral } from "../syntax/ast.js";
import { range, type TextRange } from "../text/text-range.js";
import { MAX_QUERY_DEPTH, queryDepth, tooDeepMessage } from "../util/jmespath-depth.js";
import type { CheckContext } from "./context.js";

/** A problem inside a query, with offsets into the decoded query string. */
export interface QueryProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** Functions of the policy language's JMESPath dialect: standard JMESPath plus `equals_ignore_case`. */
export const JMESPATH_FUNCTIONS: readonly string[] = [...new Set([...getRegisteredFunctions(), "equals_ignore_case"])].sort();

interface JpToken {
  readonly start: number;
  readonly type: string;
  readonly value: unknown;
}

interface JpNode {
  readonly type: string;
  readonly name?: string;
  readonly [key: string]: unknown;
}

const COMPARATORS = new Set(["EQ", "NE", "LT", "LTE", "GT", "GTE"]);

/** The result of analysing one query. */
export interface QueryAnalysis {
  /** The syntax error, if any. */
  readonly error: QueryProblem | undefined;
  /** Calls to functions that the dialect does not have. */
  readonly unknownFunctions: readonly QueryProblem[];
  /** `== true` or `== false` where the word is a field name (no backticks). */
  readonly bareLiterals: readonly QueryProblem[];
  /** A comparison with a quoted number (`'20'`). */
  readonly quotedNumbers: readonly QueryProblem[];
}

const cache = new Map<string, QueryAnalysis>();

/** Analyses a query; results are cached by query text (queries repeat across rules and files). */
export function analyseQuery(query: string): QueryAnalysis {
  const hit = cache.get(query);
  if (hit) return hit;
  const result = analyse(query);
  if (cache.size > 2000) cache.clear();
  cache.set(query, result);
  return result;
}

function tryTokenize(query: string): JpToken[] | undefined {
  try {
    return tokenize(query) as unknown as JpToken[];
  } catch {
    return undefined;
  }
}

function errorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  return raw.replace(/^Syntax error[:,]?\s*/i, "").replace(/^syntax:\s*/i, "").trim();
}

function analyse(query: string): QueryAnalysis {
  const none: QueryAnalysis = { error: undefined, unknownFunctions: [], bareLiterals: [], quotedNumbers: [] };
  const tokens = tryTokenize(query);
  if (!tokens) return { ...none, error: lexerError(query) };
  let ast: JpNode;
  try {
    ast = compile(query) as unknown as JpNode;
  } catch (e) {
    // The parser recurses on nested brackets and parentheses: a deep query overflows its stack.
    if (e instanceof RangeError) return { ...none, error: tooDeep(query) };
    return { ...none, error: parserError(query, tokens, e) };
  }
  if (queryDepth(ast) > MAX_QUERY_DEPTH) return { ...none, error: tooDeep(query) };
  return {
    error: undefined,
    unknownFunctions: unknownFunctions(query, tokens, ast),
    bareLiterals: bareLiterals(query, tokens),
    quotedNumbers: quotedNumbers(query, tokens),
  };
}

function tooDeep(query: string): QueryProblem {
  return { start: 0, end: query.length, message: tooDeepMessage() };
}

/**
 * The offsets where a prefix of the query may end without cutting a token: outside quoted names,
 * raw strings and JSON literals, and not between two operator characters (`=` `=`). In order.
 */
function cutPoints(query: string): number[] {
  const out: number[] = [0];
  const OPERATOR = /[=!<>&|[\]?]/;
  for (let i = 0; i < query.length; i++) {
    const c = query.charAt(i);
    if (c === "`" || c === "'" || c === '"') {
      const close = closingQuote(query, i, c);
      if (close === undefined) break;
      i = close;
    }
    if (i + 1 < query.length && OPERATOR.test(query.charAt(i)) && OPERATOR.test(query.charAt(i + 1))) continue;
    out.push(i + 1);
  }
  return out;
}

/**
 * The lexer throws without a position. The position of its error is the end of the longest
 * prefix of the query that still lexes: everything before it is well formed. Prefixes that end
 * between tokens lex up to the error and fail after it, so a binary search over the cut points
 * finds it with a logarithmic number of lexer runs (a linear scan made long queries quadratic).
 */
function lexerError(query: string): QueryProblem {
  let message = "invalid query";
  try {
    tokenize(query);
  } catch (e) {
    message = errorMessage(e);
  }
  const cuts = cutPoints(query).filter((k) => k < query.length);
  // Invariant: cuts[lo] lexes (the empty prefix does); cuts[hi] does not, or hi is past the end.
  let lo = 0;
  let hi = cuts.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (tryTokenize(query.slice(0, cuts[mid] as number))) lo = mid;
    else hi = mid;
  }
  let ok = cuts[lo] as number;
  while (ok < query.length && /\s/.test(query.charAt(ok))) ok++;
  const ch = query.charAt(ok);
  if (ch === "`" || ch === "'" || ch === '"') {
    const close = closingQuote(query, ok, ch);
    if (close === undefined) {
      const what = ch === "`" ? "JSON literal" : ch === "'" ? "raw string" : "quoted field name";
      return { start: ok, end: query.length, message: `unterminated ${what}: the closing ${QUOTE_NAMES[ch]} is missing` };
    }
    const what = ch === "`" ? "JSON literal" : ch === "'" ? "raw string" : "quoted field name";
    return { start: ok, end: close + 1, message: `invalid ${what} \`${query.slice(ok, close + 1)}\`` };
  }
  if (/unknown character/.test(message)) message = `unexpected character \`${ch}\``;
  return { start: ok, end: Math.min(query.length, ok + 1), message };
}

const QUOTE_NAMES: Readonly<Record<string, string>> = { "`": "backtick", "'": "`'`", '"': '`"`' };

/** The offset of the quote that closes the one at `open` (backslash escapes skipped), if any. */
function closingQuote(query: string, open: number, quote: string): number | undefined {
  for (let i = open + 1; i < query.length; i++) {
    const c = query.charAt(i);
    if (c === "\\") i++;
    else if (c === quote) return i;
  }
  return undefined;
}

/**
 * The parser throws without a position. Its culprit is the first token whose prefix already
 * fails for a reason other than reaching the end of the input; when every prefix fails only at
 * the end, the query is incomplete and the error sits at its end. The parser reads left to
 * right, so once a prefix fails before its end every longer prefix does: a binary search over
 * the tokens finds the first with a logarithmic number of parser runs (compiling every prefix
 * made long queries quadratic).
 */
function parserError(query: string, tokens: JpToken[], e: unknown): QueryProblem {
  const failsEarly = (i: number): string | undefined => {
    try {
      compile(query.slice(0, tokenEnd(query, tokens, i)));
      return undefined;
    } catch (err) {
      if (err instanceof RangeError) return "nested too deeply";
      const m = err instanceof Error ? err.message : String(err);
      return /EOF/.test(m) ? undefined : m;
    }
  };
  let lo = -1;
  let hi = tokens.length - 1;
  let message = hi >= 0 ? failsEarly(hi) : undefined;
  if (message !== undefined) {
    // Invariant: the prefix through token `hi` fails early (with `message`); through `lo` it does not.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      const m = failsEarly(mid);
      if (m === undefined) lo = mid;
      else {
        hi = mid;
        message = m;
      }
    }
    const tok = tokens[hi] as JpToken;
    const end = tokenEnd(query, tokens, hi);
    const shown = query.slice(tok.start, Math.max(end, tok.start));
    return { start: tok.start, end: Math.max(end, tok.start), message: describeParserError(message, shown) };
  }
  const end = trimEnd(query, query.length);
  const raw = e instanceof Error ? e.message : String(e);
  const expected = /expected (\w+)/.exec(raw)?.[1];
  const what = expected ? `expected ${tokenName(expected)} before the end` : "it ends too early";
  return { start: end, end, message: `incomplete query: ${what}` };
}

const TOKEN_NAMES: Readonly<Record<string, string>> = {
  Rbracket: "`]`",
  Lbracket: "`[`",
  Rparen: "`)`",
  Lparen: "`(`",
  Rbrace: "`}`",
  Lbrace: "`{`",
  Dot: "`.`",
  Comma: "`,`",
  Colon: "`:`",
  Pipe: "`|`",
  Star: "`*`",
  Filter: "`[?`",
  Flatten: "`[]`",
  Current: "`@`",
  Root: "`$`",
  Expref: "`&`",
  UnquotedIdentifier: "a field name",
  QuotedIdentifier: "a quoted field name",
  Number: "a number",
  Literal: "a literal",
  EOF: "the end of the query",
};

function tokenName(type: string): string {
  return TOKEN_NAMES[type] ?? `\`${type}\``;
}

/** A parser message in the terms of the query text, without the parser's token type names. */
function describeParserError(raw: string, shown: string): string {
  const expected = /expected (\w+), got/.exec(raw)?.[1];
  if (expected) return `expected ${tokenName(expected)}, found \`${shown}\``;
  if (/quoted identifier not allowed for function names/.test(raw)) return `a quoted name \`${shown}\` cannot be called as a function`;
  if (/too many colons/.test(raw)) return `too many \`:\` in a slice`;
  return `unexpected \`${shown}\``;
}

function trimEnd(query: string, end: number): number {
  while (end > 0 && /\s/.test(query.charAt(end - 1))) end--;
  return end;
}

/** The end of the query prefix through token `i` (trailing whitespace left out). */
function tokenEnd(query: string, tokens: readonly JpToken[], i: number): number {
  const next = tokens[i + 1];
  return trimEnd(query, next ? next.start : query.length);
}

function unknownFunctions(query: string, tokens: readonly JpToken[], ast: JpNode): QueryProblem[] {
  const names = new Set<string>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    if (n === null || typeof n !== "object") return;
    const node = n as JpNode;
    if (node.type === "Function" && typeof node.name === "string" && !JMESPATH_FUNCTIONS.includes(node.name)) names.add(node.name);
    for (const [k, v] of Object.entries(node)) if (k !== "value") visit(v);
  };
  visit(ast);
  const out: QueryProblem[] = [];
  tokens.forEach((t, i) => {
    if (t.type === "UnquotedIdentifier" && typeof t.value === "string" && names.has(t.value) && tokens[i + 1]?.type === "Lparen") {
      out.push({ start: t.start, end: tokenEnd(query, tokens, i), message: t.value });
    }
  });
  return out;
}

function besideComparator(tokens: readonly JpToken[], i: number): boolean {
  return COMPARATORS.has(tokens[i - 1]?.type ?? "") || COMPARATORS.has(tokens[i + 1]?.type ?? "");
}

function bareLiterals(query: string, tokens: readonly JpToken[]): QueryProblem[] {
  const out: QueryProblem[] = [];
  tokens.forEach((t, i) => {
    // A bare `null` is a field name too, but a missing field is null, so it behaves as the literal.
    if (t.type !== "UnquotedIdentifier" || (t.value !== "true" && t.value !== "false")) return;
    if (!besideComparator(tokens, i)) return;
    out.push({ start: t.start, end: tokenEnd(query, tokens, i), message: String(t.value) });
  });
  return out;
}

function quotedNumbers(query: string, tokens: readonly JpToken[]): QueryProblem[] {
  const out: QueryProblem[] = [];
  tokens.forEach((t, i) => {
    if (t.type !== "Literal" || typeof t.value !== "string" || !/^-?\d+(\.\d+)?$/.test(t.value)) return;
    if (!besideComparator(tokens, i)) return;
    out.push({ start: t.start, end: tokenEnd(query, tokens, i), message: t.value });
  });
  return out;
}

/**
 * Maps offsets in the decoded value of a string literal to offsets in the policy text. Index
 * `i` of the result is the text offset of decoded character `i`; the last entry is the offset
 * of the closing quote.
 */
export function literalOffsets(text: string, literal: StringLiteral): number[] {
  const out: number[] = [];
  const end = literal.range.end - 1;
  let p = literal.range.start + 1;
  while (p < end) {
    out.push(p);
    p += text.charAt(p) === "\\" && p + 1 < end ? 2 : 1;
  }
  out.push(Math.max(end, literal.range.start + 1));
  return out;
}

/** The text range of a problem found in the query held by `literal`. */
export function problemRange(text: string, literal: StringLiteral, problem: { start: number; end: number }): TextRange {
  const map = literalOffsets(text, literal);
  const at = (i: number) => map[Math.min(Math.max(i, 0), map.length - 1)] as number;
  return range(at(problem.start), at(problem.end));
}

/** Every `JmesPath(…, "literal query")` of the policy: the call and its query literal. */
export function literalQueries(ctx: CheckContext): { call: Call; literal: StringLiteral }[] {
  const out: { call: Call; literal: StringLiteral }[] = [];
  for (const { node: n } of ctx.nodes("Call")) {
    if (n.callee === "JmesPath" && n.args[1]?.kind === "StringLiteral") out.push({ call: n, literal: n.args[1] });
  }
  return out;
}
