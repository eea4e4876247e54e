/**
 * Realistic random policies and their one-mutation variants, for the diff's mutation-detection
 * property: typed claims compared with constants of their own type, permit and deny rules, issued
 * claims. A mutation changes one constant, one operator, or removes one rule, by editing the text
 * at the range the parser gives, so any policy text can be mutated.
 */
import fc from "fast-check";
import { parse, type Expr, type PolicyFile, type Rule, type Test } from "@maa-policy/core";

type Gen = fc.GeneratorValue;

const TYPES = [
  { type: "x-ms-sgx-svn", kind: "int", values: [0, 1, 2, 3, 5] },
  { type: "x-ms-sgx-product-id", kind: "int", values: [1, 2, 4639] },
  { type: "x-ms-sgx-is-debuggable", kind: "bool", values: [true, false] },
  { type: "x-ms-sgx-mrsigner", kind: "string", values: ["mrsigner1", "mrsigner2", "e31c9e50"] },
  { type: "x-ms-attestation-type", kind: "string", values: ["sgx", "sevsnpvm"] },
] as const;

function pick<T>(g: Gen, xs: readonly T[]): T {
  return xs[g(fc.integer, { min: 0, max: xs.length - 1 })] as T;
}

function lit(v: number | boolean | string): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

function test(g: Gen, t: (typeof TYPES)[number]): string {
  const op = t.kind === "int" ? pick(g, ["==", "!=", "<", "<=", ">", ">="] as const) : pick(g, ["==", "==", "==", "!="] as const);
  const issuer = g(fc.integer, { min: 0, max: 5 }) === 0 ? `, issuer=="AttestationService"` : "";
  return `[type==${lit(t.type)}, value${op}${lit(pick(g, t.values as readonly (number | boolean | string)[]))}${issuer}]`;
}

/** A random realistic policy (1.2): one to four authorization rules (at least one permit), up to three issuance rules. */
export function realisticPolicy(g: Gen): string {
  const n = g(fc.integer, { min: 1, max: 4 });
  const auth: string[] = [];
  let permits = 0;
  for (let i = 0; i < n; i++) {
    // As in published policies, a rule tests each claim type once.
    const k = g(fc.integer, { min: 1, max: 3 });
    const types = g(fc.shuffledSubarray, [...TYPES], { minLength: k, maxLength: k });
    const conds = types.map((t) => (g(fc.integer, { min: 0, max: 9 }) === 0 ? "!" : "") + test(g, t));
    const deny = i < n - 1 || permits > 0 ? g(fc.integer, { min: 0, max: 3 }) === 0 : false;
    if (!deny) permits++;
    auth.push(`    ${conds.join(" && ")} => ${deny ? "deny" : "permit"}();`);
  }
  const m = g(fc.integer, { min: 0, max: 3 });
  const iss: string[] = [];
  for (let i = 0; i < m; i++) {
    const t = pick(g, TYPES);
    const filter = g(fc.boolean) ? "" : `, value${t.kind === "int" ? pick(g, [">=", "<", "=="] as const) : "=="}${lit(pick(g, t.values as readonly (number | boolean | string)[]))}`;
    const value = g(fc.integer, { min: 0, max: 2 }) === 0 ? lit(pick(g, ["gold", "silver", "bronze"] as const)) : "c.value";
    iss.push(`    c:[type==${lit(t.type)}${filter}] => issue(type="out-${i}", value=${value});`);
  }
  return `version=1.2;\nauthorizationrules\n{\n${auth.join("\n")}\n};\nissuancerules\n{\n${iss.join("\n")}\n};\n`;
}

/** A mutation: its kind, what it did, and the mutated text. */
export interface Mutant {
  readonly kind: "constant" | "operator" | "removed rule";
  readonly what: string;
  readonly text: string;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function walkRules(file: PolicyFile): Rule[] {
  return file.sections.flatMap((s) => s.rules.filter((r): r is Rule => r.kind === "Rule"));
}

function literalsOf(rules: readonly Rule[]): Expr[] {
  const out: Expr[] = [];
  for (const r of rules) {
    for (const c of r.conditions) for (const t of c.tests) if (t.kind === "Test" && t.property !== "type") out.push(t.operand);
    if (r.action.kind === "Action") for (const a of r.action.args) if (a.name === "value") out.push(a.value);
  }
  return out.filter((e) => e.kind === "StringLiteral" || e.kind === "IntegerLiteral" || e.kind === "BooleanLiteral");
}

/** One random mutant of `text` (a policy without syntax errors), or undefined when it has nothing to mutate. */
export function mutate(g: Gen, text: string): Mutant | undefined {
  const file = parse(text).file;
  const rules = walkRules(file);
  const kind = pick(g, ["constant", "operator", "removed rule"] as const);
  if (kind === "removed rule") {
    if (rules.length === 0) return undefined;
    const r = pick(g, rules);
    return { kind, what: `removed \`${text.slice(r.range.start, r.range.end)}\``, text: splice(text, r.range.start, r.range.end, "") };
  }
  if (kind === "operator") {
    const tests = rules.flatMap((r) => r.conditions.flatMap((c) => c.tests.filter((t): t is Test => t.kind === "Test" && t.property === "value")));
    if (tests.length === 0) return undefined;
    const t = pick(g, tests);
    const ops = t.operand.kind === "IntegerLiteral" ? ["==", "!=", "<", "<=", ">", ">="] : ["==", "!="];
    const op = pick(g, ops.filter((o) => o !== t.operator));
    return { kind, what: `\`${t.operator}\` → \`${op}\` at ${t.operatorRange.start}`, text: splice(text, t.operatorRange.start, t.operatorRange.end, op) };
  }
  const lits = literalsOf(rules);
  if (lits.length === 0) return undefined;
  const e = pick(g, lits);
  let next: string;
  if (e.kind === "IntegerLiteral") next = String(e.value + pick(g, [-2, -1, 1, 2, 7]));
  else if (e.kind === "BooleanLiteral") next = String(!e.value);
  else if (e.kind === "StringLiteral") next = JSON.stringify(pick(g, [`${e.value}x`, "mrsigner3", e.value.toUpperCase() === e.value ? `${e.value}-2` : e.value.toUpperCase()]));
  else return undefined;
  return { kind, what: `${text.slice(e.range.start, e.range.end)} → ${next} at ${e.range.start}`, text: splice(text, e.range.start, e.range.end, next) };
}

/** Values to draw random claims from: every constant of the generator, its neighbours, and others. */
const DOMAIN: Readonly<Record<string, readonly (number | boolean | string)[]>> = {
  "x-ms-sgx-svn": [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12],
  "x-ms-sgx-product-id": [-1, 0, 1, 2, 3, 4, 9, 4637, 4638, 4639, 4640, 4641, 4646],
  "x-ms-sgx-is-debuggable": [true, false],
  "x-ms-sgx-mrsigner": ["mrsigner1", "mrsigner2", "mrsigner3", "e31c9e50", "e31c9e50x", "MRSIGNER1", "E31C9E50", "zz"],
  "x-ms-attestation-type": ["sgx", "sevsnpvm", "SGX", "SEVSNPVM", "sgxx", "sevsnpvmx"],
};

/** Random claim sets over the generator's claim types (up to seven claims, two issuers), for an independent oracle. */
export const domainClaimsArb = fc
  .array(
    fc.record({
      type: fc.constantFrom(...Object.keys(DOMAIN)),
      issuer: fc.constantFrom("AttestationService", "AttestationService", "CustomClaim"),
      i: fc.nat(),
    }),
    { maxLength: 7 },
  )
  .map((xs) => xs.map((x) => ({ type: x.type, issuer: x.issuer, value: (DOMAIN[x.type] as readonly (number | boolean | string)[])[x.i % (DOMAIN[x.type] as readonly unknown[]).length] as number | boolean | string })));
