/**
 * A small reference evaluator, written for the tests only and independently of
 * `packages/policy-core/src/eval`: it walks the syntax tree directly, with plain arrays and no
 * fast paths, following LANGUAGE.md sections 4 to 9 and the rulings in docs/evaluation.md
 * line by line. The differential property test checks that `evaluate` agrees with it.
 */
import { search, type JSONValue } from "@jmespath-community/jmespath";
import type { Expr, PolicyFile, Rule } from "@maa-policy/core";

export type V = boolean | number | bigint | string;
export interface RefClaim {
  type: string;
  value: V;
  issuer: string;
  ro: boolean;
}
export interface RefResult {
  decision: "permit" | "deny" | "error";
  incoming: RefClaim[];
  outgoing: RefClaim[];
  properties: RefClaim[];
}

/** One element of a value set: a value and whether it is read-only. */
interface E {
  v: V;
  ro: boolean;
}

class Failure extends Error {}

const isInt = (x: V) => typeof x === "number" || typeof x === "bigint";

function kind(x: V): string {
  return isInt(x) ? "Integer" : typeof x;
}

/** Comparison per the spec: different types never compare true; ordering needs Integers. */
function compare(x: V, op: string, y: V): boolean {
  if (kind(x) !== kind(y)) return false;
  if (op === "==") return x === y;
  if (op === "!=") return x !== y;
  if (!isInt(x)) return false;
  if (op === "<") return x < y;
  if (op === "<=") return x <= y;
  if (op === ">") return x > y;
  return x >= y;
}

function canon(n: number | bigint): number | bigint {
  const b = BigInt(n);
  if (b < -(2n ** 63n) || b > 2n ** 63n - 1n) throw new Failure("out of range");
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function jsonToValues(text: string): V[] {
  if (/^\s*-?(0|[1-9][0-9]*)\s*$/.test(text)) return [canon(BigInt(text.trim()))];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Failure("not json");
  }
  const prim = (x: unknown): V[] => {
    if (x === null) return [];
    if (typeof x === "boolean" || typeof x === "string") return [x];
    if (typeof x === "number" && Number.isSafeInteger(x)) return [x === 0 ? 0 : x];
    throw new Failure("not a claim value");
  };
  if (Array.isArray(data)) return data.flatMap(prim);
  return prim(data);
}

type Fn = { params: ("one" | "all")[]; keepsRo: boolean; run: (args: (V | V[])[]) => V | V[] };

const FUNCTIONS: Record<string, Fn> = {
  AppendString: {
    params: ["one", "one"],
    keepsRo: true,
    run: ([a, b]) => {
      if (typeof a !== "string" || typeof b !== "string") throw new Failure("type");
      return a + b;
    },
  },
  NegateBool: {
    params: ["one"],
    keepsRo: true,
    run: ([a]) => {
      if (typeof a !== "boolean") throw new Failure("type");
      return !a;
    },
  },
  IsSubsetOf: { params: ["all", "all"], keepsRo: false, run: ([a, b]) => (a as V[]).every((x) => (b as V[]).includes(x)) },
  ContainsOnlyValue: { params: ["all", "one"], keepsRo: false, run: ([s, v]) => (s as V[]).length > 0 && (s as V[]).every((x) => x === v) },
  JsonToClaimValue: {
    params: ["one"],
    keepsRo: true,
    run: ([j]) => {
      if (typeof j !== "string") throw new Failure("type");
      return jsonToValues(j);
    },
  },
  JmesPath: {
    params: ["one", "one"],
    keepsRo: true,
    run: ([j, q]) => {
      if (typeof j !== "string" || typeof q !== "string" || q === "") throw new Failure("type");
      let data: unknown;
      try {
        data = JSON.parse(j);
      } catch {
        throw new Failure("json");
      }
      try {
        const r = search(data as JSONValue, q);
        return JSON.stringify(r ?? null);
      } catch {
        throw new Failure("query");
      }
    },
  },
};

/** All combinations of the given lists (the first list varies slowest). */
function product<T>(lists: T[][]): T[][] {
  let out: T[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out;
}

function evalExpr(e: Expr, env: Map<string, RefClaim[]>): E[] {
  switch (e.kind) {
    case "StringLiteral":
    case "BooleanLiteral":
      return [{ v: e.value, ro: false }];
    case "IntegerLiteral":
      return [{ v: canon(BigInt(e.raw)), ro: false }];
    case "ValueRef":
      return (env.get(e.identifier.name) ?? []).map((c) => ({ v: c.value, ro: c.ro }));
    case "Call": {
      const fn = FUNCTIONS[e.callee];
      if (!fn) throw new Failure("unknown function");
      const args = e.args.map((a) => evalExpr(a, env));
      const choices: E[][][] = args.map((a, i) => (fn.params[i] === "all" ? [a] : a.map((x) => [x])));
      const out: E[] = [];
      for (const combo of product(choices)) {
        const ro = combo.some((es) => es.some((x) => x.ro));
        const r = fn.run(combo.map((es, i) => (fn.params[i] === "all" ? es.map((x) => x.v) : (es[0] as E).v)));
        for (const v of Array.isArray(r) ? r : [r]) out.push({ v, ro: fn.keepsRo && ro });
      }
      return out;
    }
    default:
      throw new Failure("unsupported expression");
  }
}

const EFFECTS: Record<string, Record<string, string>> = {
  configurationrules: { permit: "none", deny: "none", add: "add", issue: "add", issueproperty: "issueproperty" },
  authorizationrules: { permit: "permit", deny: "deny", add: "add", issue: "add", issueproperty: "add" },
  issuancerules: { permit: "none", deny: "none", add: "add", issue: "issue", issueproperty: "issueproperty" },
};

const VALUE_TYPES: Record<string, string> = { Boolean: "boolean", Integer: "Integer", String: "string" };

function convert(v: V, to: string): V {
  if (to === "string") return typeof v === "string" ? v : String(v);
  if (to === "Integer") {
    if (isInt(v)) return v;
    if (typeof v === "string" && /^-?\d{1,40}$/.test(v)) return canon(BigInt(v));
    throw new Failure("convert");
  }
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new Failure("convert");
}

/** Runs one rule; returns the vote or undefined. */
function runRule(rule: Rule, section: string, st: RefResult): string | undefined {
  const env = new Map<string, RefClaim[]>();
  for (const cond of rule.conditions) {
    const tests = cond.tests.map((t) => {
      if (t.kind !== "Test") throw new Failure("bad test");
      return { prop: t.property as string, op: t.operator as string, values: evalExpr(t.operand, env).map((x) => x.v) };
    });
    const matched = st.incoming.filter((c) =>
      tests.every((t) => t.values.some((y) => compare(t.prop === "type" ? c.type : t.prop === "issuer" ? c.issuer : c.value, t.op, y))),
    );
    const holds = cond.negated ? matched.length === 0 : matched.length > 0;
    if (!holds) return undefined;
    if (cond.binding) env.set(cond.binding.name, matched);
  }
  const action = rule.action;
  if (action.kind !== "Action" || action.verb === undefined) throw new Failure("bad action");
  const effect = (EFFECTS[section] as Record<string, string>)[action.verb] as string;
  if (effect === "permit" || effect === "deny") return effect;
  if (effect === "none") return undefined;
  const produced: RefClaim[] = [];
  const claimArg = action.args.find((a) => a.name === "claim");
  if (claimArg) {
    if (claimArg.value.kind !== "Identifier") throw new Failure("claim=");
    for (const c of env.get(claimArg.value.name) ?? []) produced.push({ type: c.type, value: c.value, issuer: "AttestationPolicy", ro: c.ro });
  } else {
    const arg = (n: string) => action.args.find((a) => a.name === n);
    const typeArg = arg("type");
    const valueArg = arg("value");
    if (!typeArg || !valueArg) throw new Failure("missing argument");
    const types = evalExpr(typeArg.value, env);
    const values = evalExpr(valueArg.value, env);
    const vtArg = arg("valueType");
    const isArg = arg("issuer");
    const vts: (E | undefined)[] = vtArg ? evalExpr(vtArg.value, env) : [undefined];
    const iss: (E | undefined)[] = isArg ? evalExpr(isArg.value, env) : [undefined];
    for (const t of types) {
      if (typeof t.v !== "string") throw new Failure("type not a string");
      for (const v of values) {
        for (const vt of vts) {
          let value = v.v;
          if (vt) {
            const to = typeof vt.v === "string" ? VALUE_TYPES[vt.v] : undefined;
            if (to === undefined) throw new Failure("valueType");
            value = convert(v.v, to);
          }
          for (const i of iss) {
            if (i && typeof i.v !== "string") throw new Failure("issuer");
            produced.push({ type: t.v, value, issuer: i ? (i.v as string) : "AttestationPolicy", ro: t.ro || v.ro || (vt?.ro ?? false) || (i?.ro ?? false) });
          }
        }
      }
    }
  }
  for (const c of produced) {
    if ((effect === "issue" || effect === "issueproperty") && c.ro) throw new Failure("read-only");
    st.incoming.push(c);
    if (effect === "issue") st.outgoing.push(c);
    if (effect === "issueproperty") st.properties.push(c);
  }
  return undefined;
}

/** Evaluates a parsed policy over claims (type, value, issuer; read-only by type `pcrs`). */
export function referenceEvaluate(file: PolicyFile, claims: readonly { type: string; value: V; issuer?: string }[]): RefResult {
  const st: RefResult = {
    decision: "deny",
    incoming: claims.map((c) => ({ type: c.type, value: c.value, issuer: c.issuer ?? "CustomClaim", ro: c.type === "pcrs" })),
    outgoing: [],
    properties: [],
  };
  const section = (name: string) => file.sections.find((s) => s.name === name)?.rules ?? [];
  try {
    for (const r of section("configurationrules")) if (r.kind === "Rule") runRule(r, "configurationrules", st);
    const votes: string[] = [];
    for (const r of section("authorizationrules")) {
      if (r.kind !== "Rule") continue;
      const v = runRule(r, "authorizationrules", st);
      if (v) votes.push(v);
    }
    if (votes.includes("deny") || !votes.includes("permit")) return { ...st, decision: "deny", outgoing: [] };
    for (const r of section("issuancerules")) if (r.kind === "Rule") runRule(r, "issuancerules", st);
    return { ...st, decision: "permit" };
  } catch (e) {
    if (e instanceof Failure) return { ...st, decision: "error", outgoing: [], properties: [] };
    throw e;
  }
}
