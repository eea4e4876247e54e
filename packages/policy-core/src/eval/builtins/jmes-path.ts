/**
 * `JmesPath(json, query)`: evaluates a JMESPath query against JSON text and returns the result
 * serialized as JSON text (a null result is the string `null`). The dialect is JMESPath
 * (`@jmespath-community/jmespath`) plus `equals_ignore_case(a, b)`. A literal query is compiled
 * once, when the policy is compiled; a syntax error is still reported only if the call runs.
 * The result is read-only when either argument is.
 */
import {
  TYPE_STRING,
  TreeInterpreter,
  compile as compileQuery,
  isRegistered,
  register,
  type JSONValue,
} from "@jmespath-community/jmespath";
import { EvalFailure, FunctionError } from "../errors.js";
import type { Builtin, BuiltinArg } from "./builtin.js";
import { describeType } from "./builtin.js";
import { MAX_QUERY_DEPTH, queryDepth, tooDeepMessage } from "../../util/jmespath-depth.js";
import { parseJsonText } from "./json-text.js";

type QueryAst = ReturnType<typeof compileQuery>;

/** A literal query, compiled (or the reason it does not compile). */
type Prepared = { readonly query: string; readonly ast: QueryAst } | { readonly query: string; readonly error: string } | undefined;

/** What the search in progress is charged to (undefined outside a `JmesPath` call). */
let meter: ((steps: number) => void) | undefined;
let metered = false;

/**
 * Makes every step of the JMESPath interpreter chargeable: each node it visits costs a step, plus
 * the length of an array it returns, plus one per 64 characters of a string it returns, so that
 * a query that multiplies its data (`[@,@] | [] | …`) runs out of steps instead of memory. The
 * interpreter is the library's; its `visit` method is wrapped once (a no-op outside a call).
 */
function installMeter(): void {
  if (metered) return;
  metered = true;
  const proto = Object.getPrototypeOf(TreeInterpreter) as { visit(node: unknown, value: unknown): unknown };
  const visit = proto.visit;
  proto.visit = function (this: unknown, node: unknown, value: unknown): unknown {
    const r = visit.call(this, node, value);
    const m = meter;
    if (m !== undefined) m(1 + (Array.isArray(r) ? r.length : typeof r === "string" ? r.length >>> 6 : 0));
    return r;
  };
}

/**
 * JSON text for a search result, written without recursion and stopped as soon as it would
 * exceed `max` characters. A result may share its parts (`[@,@]` nests one array twice, 24 times
 * over): a part met more than once is written once and its text reused, so the cost is that of
 * the distinct parts plus the text up to the cap, never more (issue 17's fuzz bound). Refuses
 * integers beyond 2^53 − 1 (JSON parsing rounded them). Charges one step per 64 characters written.
 */
function resultJson(result: unknown, max: number, charge: (steps: number) => void, query: string): string {
  const unsafe = () => new FunctionError("P3002", `query ${shown(query)} produced an integer beyond 2^53 − 1, which cannot be represented exactly`);
  /** Whether every member of an array or object is a primitive (then it is written in one piece). */
  const flat = (xs: readonly unknown[]): boolean => {
    for (const x of xs) {
      if (x !== null && typeof x === "object") return false;
      if (typeof x === "number" && Number.isInteger(x) && !Number.isSafeInteger(x)) throw unsafe();
    }
    return true;
  };
  // Only arrays and objects can share parts (most results are a value: no walk for them).
  const shared = result !== null && typeof result === "object" ? sharedParts(result) : NO_SHARED;
  /** The text of each shared part once written. */
  const written = new Map<object, string>();
  /** Where in `parts` each shared part being written starts. */
  const starts = new Map<object, number>();
  const parts: string[] = [];
  let size = 0;
  let charged = 0;
  // What is left to write, last first: values, the punctuation between them, and the ends of
  // shared parts (whose text is then kept).
  const VALUE = 0;
  const PUNCT = 1;
  const END = 2;
  const stack: unknown[] = [result === undefined ? null : result];
  const kinds: number[] = [VALUE];
  const open = (v: object, close: string): void => {
    if (shared.has(v)) {
      starts.set(v, parts.length);
      stack.push(v);
      kinds.push(END);
    }
    stack.push(close);
    kinds.push(PUNCT);
  };
  while (stack.length > 0) {
    const v = stack.pop();
    const kind = kinds.pop();
    let piece: string;
    if (kind === END) {
      // Its text is everything written since it opened: joined into one part, kept for its next use.
      const node = v as object;
      const from = starts.get(node) as number;
      const text = parts.slice(from).join("");
      parts.length = from;
      parts.push(text);
      written.set(node, text);
      continue;
    }
    if (kind === PUNCT) piece = v as string;
    else if (v === null || typeof v !== "object") {
      if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) throw unsafe();
      piece = v === undefined ? "null" : JSON.stringify(v);
    } else if (shared.size > 0 && written.has(v)) piece = written.get(v) as string;
    else if (Array.isArray(v)) {
      if (flat(v)) piece = JSON.stringify(v);
      else {
        piece = "[";
        open(v, "]");
        for (let i = v.length - 1; i >= 0; i--) {
          stack.push(v[i] === undefined ? null : v[i]);
          kinds.push(VALUE);
          if (i > 0) {
            stack.push(",");
            kinds.push(PUNCT);
          }
        }
      }
    } else {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (flat(entries.map(([, x]) => x))) piece = JSON.stringify(v);
      else {
        piece = "{";
        open(v, "}");
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, x] = entries[i] as [string, unknown];
          stack.push(x);
          kinds.push(VALUE);
          stack.push(`${JSON.stringify(k)}:`);
          kinds.push(PUNCT);
          if (i > 0) {
            stack.push(",");
            kinds.push(PUNCT);
          }
        }
      }
    }
    parts.push(piece);
    size += piece.length;
    if (size > max) throw new FunctionError("P3006", `query ${shown(query)}: its result is longer than the limit of ${max} characters (limits.maxStringLength)`);
    if (size - charged >= 4096) {
      charge((size - charged) >>> 6);
      charged = size;
    }
  }
  return parts.join("");
}

const NO_SHARED: ReadonlySet<object> = new Set();

/** The arrays and objects met more than once in a search result (each distinct part visited once, without recursion). */
function sharedParts(result: object): Set<object> {
  const seen = new Set<object>();
  const shared = new Set<object>();
  const stack: unknown[] = [result];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (seen.has(v)) {
      shared.add(v);
      continue;
    }
    seen.add(v);
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else for (const x of Object.values(v as Record<string, unknown>)) stack.push(x);
  }
  return shared;
}

/** Registers the dialect's extra function with the JMESPath runtime (idempotent). */
export function ensureJmesPathDialect(): void {
  installMeter();
  if (isRegistered("equals_ignore_case")) return;
  register(
    "equals_ignore_case",
    (args) => {
      const [a, b] = args as [string, string];
      return a.toLowerCase() === b.toLowerCase();
    },
    [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }],
  );
}

function message(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split("\n")[0] ?? "").replace(/\.$/, "");
}

/** Compiles a query; returns the syntax tree or the reason it fails. */
export function compileJmesPath(query: string): { ast: QueryAst } | { error: string } {
  if (query === "") return { error: "the query is empty" };
  let ast: QueryAst;
  try {
    ast = compileQuery(query);
  } catch (e) {
    return { error: e instanceof RangeError ? tooDeepMessage() : message(e) };
  }
  // The interpreter walks the tree recursively: refuse a tree deep enough to overflow the stack.
  return queryDepth(ast) > MAX_QUERY_DEPTH ? { error: tooDeepMessage() } : { ast };
}

/** A query as messages show it, in backticks (a long query cut). */
function shown(query: string): string {
  return `\`${query.length > 80 ? `${query.slice(0, 79)}…` : query}\``;
}

/** `JmesPath(json, query)`. */
export const jmesPath: Builtin = {
  name: "JmesPath",
  params: ["value", "value"],
  propagatesReadOnly: true,
  prepare(literals): Prepared {
    const q = literals[1];
    if (typeof q !== "string") return undefined;
    const r = compileJmesPath(q);
    return "ast" in r ? { query: q, ast: r.ast } : { query: q, error: r.error };
  },
  cost(args: readonly BuiltinArg[]): number {
    const json = args[0];
    return typeof json === "string" ? Math.ceil(json.length / 256) : 0;
  },
  call(args, prepared, budget) {
    const [json, query] = args as [BuiltinArg, BuiltinArg];
    if (typeof json !== "string") throw new FunctionError("P3003", `the JSON argument must be a String, not ${describeType(json)}`);
    if (typeof query !== "string") throw new FunctionError("P3003", `the query argument must be a String, not ${describeType(query)}`);
    const data = parseJsonText(json, "the JSON argument");
    let ast: QueryAst;
    const p = prepared as Prepared;
    if (p !== undefined && p.query === query) {
      if ("error" in p) throw new FunctionError("P3002", `invalid query ${shown(query)}: ${p.error}`);
      ast = p.ast;
    } else {
      const r = compileJmesPath(query);
      if ("error" in r) throw new FunctionError("P3002", `invalid query ${shown(query)}: ${r.error}`);
      ast = r.ast;
    }
    ensureJmesPathDialect();
    let result: unknown;
    meter = (n) => budget.charge(n);
    try {
      result = TreeInterpreter.search(ast, data as JSONValue);
    } catch (e) {
      // The step budget's failure, and the engine's limits, pass through; the search's own errors are P3002.
      if (e instanceof EvalFailure || e instanceof RangeError) throw e;
      throw new FunctionError("P3002", `query ${shown(query)} failed: ${message(e)}`);
    } finally {
      meter = undefined;
    }
    return resultJson(result, budget.maxStringLength, (n) => budget.charge(n), query);
  },
};
