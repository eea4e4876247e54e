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
import { FunctionError } from "../errors.js";
import type { Builtin, BuiltinArg } from "./builtin.js";
import { describeType } from "./builtin.js";
import { MAX_QUERY_DEPTH, queryDepth, tooDeepMessage } from "../../util/jmespath-depth.js";
import { hasUnsafeInteger, parseJsonText } from "./json-text.js";

type QueryAst = ReturnType<typeof compileQuery>;

/** A literal query, compiled (or the reason it does not compile). */
type Prepared = { readonly query: string; readonly ast: QueryAst } | { readonly query: string; readonly error: string } | undefined;

/** Registers the dialect's extra function with the JMESPath runtime (idempotent). */
export function ensureJmesPathDialect(): void {
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
  call(args, prepared) {
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
    try {
      result = TreeInterpreter.search(ast, data as JSONValue);
    } catch (e) {
      throw new FunctionError("P3002", `query ${shown(query)} failed: ${message(e)}`);
    }
    if (hasUnsafeInteger(result)) {
      throw new FunctionError("P3002", `query ${shown(query)} produced an integer beyond 2^53 − 1, which cannot be represented exactly`);
    }
    return JSON.stringify(result === undefined ? null : result);
  },
};
