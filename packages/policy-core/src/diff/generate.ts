/**
 * Distinguishing inputs, generated from the text of two policies alone.
 *
 * From every test of every condition of either policy the generator collects, per claim type, the
 * values worth trying: each constant, its neighbours across a comparison boundary (`>= 2` gives 1,
 * 2 and 3), the same digits as a String, the other Boolean, a value no constant names, JSON
 * documents that make a `JmesPath` query over the claim select something (and `{}`), and the
 * issuers tested. Then it builds inputs:
 *
 * 1. the empty claim set;
 * 2. per rule, a seed: one claim satisfying each non-negated condition (a witness), so that the
 *    rule fires; for rules after authorization and for deny rules, the seed is also joined with
 *    the seed of a permitting rule of each policy, so that the rule's effect shows;
 * 3. the union of every permitting seed;
 * 4. one mutation of each seed: a claim removed, its value replaced by every other value of its
 *    type, its issuer changed, or a claim a negated condition looks for added.
 *
 * Inputs are deduplicated and produced smallest first, up to a budget.
 */
import { findClaim } from "../claims/catalog.js";
import { compareValues, type InputClaim } from "../eval/evaluate.js";
import { parseIntegerText, type ClaimValue } from "../eval/value.js";
import type { Condition, Expr, PolicyFile, Rule, Test } from "../syntax/ast.js";
import type { SectionName } from "../syntax/tokens.js";
import { jmesPathWitnesses, type JsonLeaf } from "./jmespath-witness.js";

/** A generated input: its claims and how it was made. */
export interface GeneratedInput {
  readonly claims: readonly InputClaim[];
  /** How the input was derived, e.g. `seed of authorizationrules rule 2 (old)`. */
  readonly origin: string;
}

/** What the generator found and made. */
export interface Generation {
  readonly inputs: readonly GeneratedInput[];
  /** Whether the budget cut the list. */
  readonly truncated: boolean;
  /** The JMESPath queries over claims, and how many got a witness document. */
  readonly jmesPath: { readonly queries: number; readonly witnessed: number };
  /** How many claim types and values were tried. */
  readonly claimTypes: number;
  readonly values: number;
}

/** Sides of a diff. */
export type Side = "old" | "new";

const OTHER_TYPE = "x-maa-policy-diff-other";
const DEFAULT_ISSUER = "AttestationService";
const OTHER_STRING = "maa-policy-diff-other";
/** How many permitting seeds per policy are joined with the seeds of deny and issuance rules. */
const MAX_BASES = 8;
/** Seeds with more claims than this are not mutated. */
const MAX_MUTATED_SEED = 16;

class Pool {
  readonly values = new Map<string, ClaimValue[]>();
  readonly issuers = new Map<string, string[]>();
  readonly types: string[] = [];
  readonly constants: (boolean | number | string)[] = [];
  anyIssuerTest = false;
  needsOtherType = false;
  queries = 0;
  witnessed = 0;

  type(t: string): void {
    if (!this.values.has(t)) {
      this.values.set(t, []);
      this.types.push(t);
    }
  }

  value(t: string, v: ClaimValue): void {
    this.type(t);
    const list = this.values.get(t) as ClaimValue[];
    if (!list.some((x) => x === v)) list.push(v);
  }

  issuer(t: string, i: string): void {
    let list = this.issuers.get(t);
    if (list === undefined) {
      list = [DEFAULT_ISSUER];
      this.issuers.set(t, list);
    }
    if (!list.includes(i)) list.push(i);
  }

  constant(v: boolean | number | string): void {
    if (!this.constants.includes(v) && this.constants.length < 12) this.constants.push(v);
  }
}

function literal(e: Expr): ClaimValue | undefined {
  switch (e.kind) {
    case "StringLiteral":
      return e.value;
    case "BooleanLiteral":
      return e.value;
    case "IntegerLiteral":
      return parseIntegerText(e.raw.replace(/^(-?)0+(?=\d)/, "$1"));
    default:
      return undefined;
  }
}

function typeKey(c: Condition): string | undefined {
  for (const t of c.tests) {
    if (t.kind === "Test" && t.property === "type" && t.operator === "==" && t.operand.kind === "StringLiteral") return t.operand.value;
  }
  return undefined;
}

function tests(c: Condition): Test[] {
  return c.tests.filter((t): t is Test => t.kind === "Test");
}

function neighbours(v: ClaimValue): ClaimValue[] {
  if (typeof v === "number") {
    const out: ClaimValue[] = [v];
    if (Number.isSafeInteger(v - 1)) out.push(v - 1);
    if (Number.isSafeInteger(v + 1)) out.push(v + 1);
    out.push(String(v));
    return out;
  }
  if (typeof v === "bigint") return [v, v - 1n, v + 1n].map((x) => parseIntegerText(x.toString())).filter((x): x is number | bigint => x !== undefined);
  if (typeof v === "boolean") return [v, !v];
  return [v];
}

function defaults(type: string): ClaimValue[] {
  const info = findClaim(type);
  switch (info?.valueType) {
    case "Boolean":
      return [true, false];
    case "Integer":
      return [1, 0];
    case "Json":
      return ["{}"];
    case "String":
      return ["value"];
    default:
      return ["value", true, 1];
  }
}

interface RuleRef {
  readonly side: Side;
  readonly section: SectionName;
  readonly index: number;
  readonly rule: Rule;
}

function rulesOf(file: PolicyFile, side: Side): RuleRef[] {
  const out: RuleRef[] = [];
  for (const s of file.sections) {
    if (s.name === undefined) continue;
    let index = 0;
    for (const r of s.rules) {
      index++;
      if (r.kind === "Rule") out.push({ side, section: s.name, index, rule: r });
    }
  }
  return out;
}

function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e);
  if (e.kind === "Call") for (const a of e.args) visitExpr(a, f);
}

/** Collects the claim types, values and issuers the rules test. */
function collect(rules: readonly RuleRef[]): Pool {
  const pool = new Pool();
  const jsonTypes = new Map<string, string[]>();
  const chains: { from: string; query: string; to: string }[] = [];
  for (const { rule } of rules) {
    const bindingType = new Map<string, string | undefined>();
    for (const c of rule.conditions) {
      const t = typeKey(c);
      if (c.binding) bindingType.set(c.binding.name, t);
      if (t === undefined) pool.needsOtherType = true;
      else pool.type(t);
      for (const test of tests(c)) {
        const v = literal(test.operand);
        if (test.property === "type") {
          if (typeof v === "string") pool.type(v);
          if (test.operator !== "==") pool.needsOtherType = true;
        } else if (test.property === "issuer") {
          pool.anyIssuerTest = true;
          if (typeof v === "string") pool.issuer(t ?? OTHER_TYPE, v);
        } else if (test.property === "value") {
          if (v !== undefined) {
            pool.constant(typeof v === "bigint" ? v.toString() : v);
            for (const n of neighbours(v)) pool.value(t ?? OTHER_TYPE, n);
          }
        }
      }
    }
    // Literal values given to add/issue become candidates for the conditions that read them back.
    const exprs: Expr[] = [];
    for (const c of rule.conditions) for (const t of tests(c)) exprs.push(t.operand);
    if (rule.action.kind === "Action") for (const a of rule.action.args) exprs.push(a.value);
    // `add(type="T2", value=JmesPath(c.value, "q"))` over a claim of type T1: a document for T2
    // becomes, through `q`, a document for T1 (the chain of published TPM policies).
    if (rule.action.kind === "Action") {
      const typeArg = rule.action.args.find((a) => a.name === "type")?.value;
      const valueArg = rule.action.args.find((a) => a.name === "value")?.value;
      if (typeArg?.kind === "StringLiteral" && valueArg?.kind === "Call" && valueArg.callee.toLowerCase() === "jmespath") {
        const [doc, q] = valueArg.args;
        const from = doc?.kind === "ValueRef" ? bindingType.get(doc.identifier.name) : undefined;
        if (from !== undefined && q?.kind === "StringLiteral") chains.push({ from, query: q.value, to: typeArg.value });
      }
    }
    for (const e of exprs) {
      visitExpr(e, (x) => {
        if (x.kind !== "Call" || x.callee.toLowerCase() !== "jmespath") return;
        const [doc, q] = x.args;
        if (doc?.kind !== "ValueRef" || q?.kind !== "StringLiteral") return;
        const t = bindingType.get(doc.identifier.name);
        if (t === undefined) return;
        const list = jsonTypes.get(t) ?? [];
        list.push(q.value);
        jsonTypes.set(t, list);
      });
    }
  }
  for (const [t, queries] of jsonTypes) {
    for (const q of queries) {
      pool.queries++;
      const docs = jmesPathWitnesses(q, [true, ...pool.constants.slice(0, 6)]);
      if (docs !== undefined) {
        pool.witnessed++;
        for (const d of docs) pool.value(t, d);
      }
    }
    pool.value(t, "{}");
  }
  // Two rounds follow chains two deep.
  for (let round = 0; round < 2; round++) {
    for (const c of chains) {
      const leaves = (pool.values.get(c.to) ?? []).filter((v): v is string => typeof v === "string" && v !== "{}" && /^[[{]/.test(v));
      for (const leaf of leaves.slice(0, 6)) {
        const docs = jmesPathWitnesses(c.query, [JSON.parse(leaf) as JsonLeaf]);
        for (const d of docs ?? []) pool.value(c.from, d);
      }
    }
  }
  for (const t of pool.types) {
    const list = pool.values.get(t) as ClaimValue[];
    if (list.length === 0) for (const v of defaults(t)) pool.value(t, v);
    else if (list.every((v) => typeof v === "string")) pool.value(t, OTHER_STRING);
  }
  if (pool.needsOtherType) {
    pool.type(OTHER_TYPE);
    if ((pool.values.get(OTHER_TYPE) as ClaimValue[]).length === 0) for (const v of ["value", true, 1]) pool.value(OTHER_TYPE, v);
  }
  if (pool.anyIssuerTest) for (const t of pool.types) pool.issuer(t, "CustomClaim");
  return pool;
}

function passesLiteral(test: Test, type: string, value: ClaimValue, issuer: string): boolean {
  const v = literal(test.operand);
  if (v === undefined) return true;
  const actual = test.property === "type" ? type : test.property === "value" ? value : issuer;
  return compareValues(actual, test.operator, v);
}

/** Whether a claim passes every literal test of `c` (tests with computed operands count as passed). */
function passesAll(c: Condition, type: string, value: ClaimValue, issuer: string): boolean {
  return tests(c).every((t) => passesLiteral(t, type, value, issuer));
}

/**
 * A claim that passes every literal test of `c`, or undefined. Among the candidates it prefers
 * one that no condition in `avoid` (the conditions of deny rules) accepts, so that a permitting
 * seed is not denied by a rule it has nothing to do with.
 */
function witnessOf(c: Condition, pool: Pool, avoid: readonly Condition[] = []): InputClaim | undefined {
  const key = typeKey(c);
  const types = key !== undefined ? [key] : pool.types;
  let fallback: InputClaim | undefined;
  for (const type of types) {
    if (!tests(c).filter((t) => t.property === "type").every((t) => passesLiteral(t, type, "", ""))) continue;
    const issuers = pool.issuers.get(type) ?? pool.issuers.get(OTHER_TYPE) ?? [DEFAULT_ISSUER];
    const against = avoid.filter((x) => typeKey(x) === type || typeKey(x) === undefined);
    for (const value of pool.values.get(type) ?? []) {
      for (const issuer of issuers) {
        if (!passesAll(c, type, value, issuer)) continue;
        if (against.every((x) => !passesAll(x, type, value, issuer))) return claim(type, value, issuer);
        fallback ??= claim(type, value, issuer);
      }
    }
  }
  return fallback;
}

function claim(type: string, value: ClaimValue, issuer: string): InputClaim {
  return typeof value === "bigint" ? { type, value: value.toString(), valueType: "Integer", issuer } : { type, value, issuer };
}

function claimKey(c: InputClaim): string {
  return `${c.type}\u0000${typeof c.value}:${String(c.value)}\u0000${c.valueType ?? ""}\u0000${c.issuer ?? ""}`;
}

/** Small integer ids for claims (by their key), memoized per claim object: cheap set keys. */
class ClaimIds {
  private readonly byKey = new Map<string, number>();
  private readonly byObject = new WeakMap<InputClaim, number>();

  id(c: InputClaim): number {
    let n = this.byObject.get(c);
    if (n !== undefined) return n;
    const k = claimKey(c);
    n = this.byKey.get(k);
    if (n === undefined) {
      n = this.byKey.size;
      this.byKey.set(k, n);
    }
    this.byObject.set(c, n);
    return n;
  }

  /** A key of a claim set, independent of order. */
  setKey(claims: readonly InputClaim[]): string {
    const ids = new Array<number>(claims.length);
    for (let i = 0; i < claims.length; i++) ids[i] = this.id(claims[i] as InputClaim);
    return ids.sort((a, b) => a - b).join(",");
  }
}

function union(ids: ClaimIds, ...sets: (readonly InputClaim[])[]): InputClaim[] {
  const seen = new Set<number>();
  const out: InputClaim[] = [];
  for (const s of sets) {
    for (const c of s) {
      const k = ids.id(c);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(c);
      }
    }
  }
  return out;
}

/** One claim per non-negated condition of `r`, none of them matched by a negated condition of `r`. */
function seedOf(ids: ClaimIds, r: Rule, pool: Pool, avoid: readonly Condition[] = []): InputClaim[] {
  const out: InputClaim[] = [];
  const own = r.conditions.filter((c) => c.negated).map((c) => ({ ...c, negated: false }));
  for (const c of r.conditions) {
    if (c.negated) continue;
    const w = witnessOf(c, pool, [...own, ...avoid]);
    if (w !== undefined) out.push(w);
  }
  return union(ids, out);
}

/** Up to `max` distinct claims that pass the literal tests of `c`. */
function witnessesOf(c: Condition, pool: Pool, max: number): InputClaim[] {
  const out: InputClaim[] = [];
  const key = typeKey(c);
  for (const type of key !== undefined ? [key] : pool.types) {
    const issuers = pool.issuers.get(type) ?? pool.issuers.get(OTHER_TYPE) ?? [DEFAULT_ISSUER];
    for (const value of pool.values.get(type) ?? []) {
      for (const issuer of issuers) {
        if (out.length >= max) return out;
        if (passesAll(c, type, value, issuer)) out.push(claim(type, value, issuer));
      }
    }
  }
  return out;
}

function label(r: RuleRef): string {
  return `${r.section} rule ${r.index} (${r.side})`;
}

/** Generates inputs that exercise the rules of both policies; `budget` bounds how many. */
export function generateInputs(oldFile: PolicyFile, newFile: PolicyFile, budget: number): Generation {
  const rules = [...rulesOf(oldFile, "old"), ...rulesOf(newFile, "new")];
  const pool = collect(rules);
  const ids = new ClaimIds();
  const setKey = (claims: readonly InputClaim[]): string => ids.setKey(claims);
  const candidates: GeneratedInput[] = [];
  const seen = new Set<string>();
  let truncated = false;
  const push = (claims: readonly InputClaim[], origin: string): void => {
    const k = setKey(claims);
    if (seen.has(k)) return;
    seen.add(k);
    candidates.push({ claims, origin });
  };
  push([], "the empty claim set");

  const isVote = (r: RuleRef, verb: string): boolean => r.section === "authorizationrules" && r.rule.action.kind === "Action" && r.rule.action.verb === verb;
  // The conditions of deny rules: permitting seeds avoid them where they can. A deny rule that
  // fires on the absence of a claim (a negated condition) is broken by adding that claim.
  const denyRules = rules.filter((r) => isVote(r, "deny"));
  const denyConditions = denyRules.flatMap((r) => r.rule.conditions.filter((c) => !c.negated));
  const denyBreakers: InputClaim[] = [];
  for (const r of denyRules) {
    const neg = r.rule.conditions.find((c) => c.negated);
    const w = neg !== undefined ? witnessOf({ ...neg, negated: false }, pool) : undefined;
    if (w !== undefined) denyBreakers.push(w);
  }
  const seeds: GeneratedInput[] = [];
  const permits: Record<Side, InputClaim[][]> = { old: [], new: [] };
  const authorization = rules.filter((r) => r.section === "authorizationrules");
  for (const r of rules) {
    const s = seedOf(ids, r.rule, pool);
    seeds.push({ claims: s, origin: `seed of ${label(r)}` });
    if (isVote(r, "permit")) {
      const clean = union(ids, seedOf(ids, r.rule, pool, denyConditions), denyBreakers);
      permits[r.side].push(clean);
      seeds.push({ claims: clean, origin: `seed of ${label(r)}, avoiding deny rules` });
      // Alone: avoiding the conditions of every other rule of authorizationrules as well.
      const others = authorization.filter((x) => x !== r && x.side === r.side).flatMap((x) => x.rule.conditions.filter((c) => !c.negated));
      seeds.push({ claims: union(ids, seedOf(ids, r.rule, pool, [...denyConditions, ...others]), denyBreakers), origin: `seed of ${label(r)}, avoiding other rules` });
    }
  }
  const bases: { claims: InputClaim[]; origin: string }[] = [];
  for (const side of ["old", "new"] as const) {
    permits[side].slice(0, MAX_BASES).forEach((claims, i) => bases.push({ claims, origin: `permitting seed ${i + 1} (${side})` }));
  }
  for (const r of rules) {
    if (r.section === "authorizationrules" && !isVote(r, "deny")) continue;
    // A deny rule's seed must fire it; a rule after authorization must also not be denied.
    const s = r.section === "authorizationrules" ? seedOf(ids, r.rule, pool) : seedOf(ids, r.rule, pool, denyConditions);
    for (const b of bases) seeds.push({ claims: union(ids, b.claims, s), origin: `seed of ${label(r)} with ${b.origin}` });
  }
  const allPermits = union(ids, ...permits.old, ...permits.new);
  seeds.push({ claims: allPermits, origin: "every permitting seed together" });
  const everything = union(ids, ...rules.map((r) => seedOf(ids, r.rule, pool)));
  seeds.push({ claims: everything, origin: "every seed together" });
  for (const s of seeds) push(s.claims, s.origin);

  // Claims that negated conditions look for.
  const negatedWitnesses: InputClaim[] = [];
  for (const r of rules) for (const c of r.rule.conditions) if (c.negated) negatedWitnesses.push(...witnessesOf({ ...c, negated: false }, pool, 8));

  function* mutations(s: GeneratedInput): Generator<GeneratedInput> {
    const cs = s.claims;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i] as InputClaim;
      yield { claims: [...cs.slice(0, i), ...cs.slice(i + 1)], origin: `${s.origin}, without \`${c.type}\`` };
      for (const v of pool.values.get(c.type) ?? []) {
        const n = claim(c.type, v, c.issuer ?? DEFAULT_ISSUER);
        if (ids.id(n) === ids.id(c)) continue;
        yield { claims: [...cs.slice(0, i), n, ...cs.slice(i + 1)], origin: `${s.origin}, \`${c.type}\` = ${JSON.stringify(typeof v === "bigint" ? v.toString() : v)}` };
      }
      for (const is of pool.issuers.get(c.type) ?? []) {
        if (is === (c.issuer ?? DEFAULT_ISSUER)) continue;
        yield { claims: [...cs.slice(0, i), { ...c, issuer: is }, ...cs.slice(i + 1)], origin: `${s.origin}, \`${c.type}\` from issuer ${is}` };
      }
    }
    for (const w of negatedWitnesses) {
      if (!cs.some((c) => ids.id(c) === ids.id(w))) yield { claims: [...cs, w], origin: `${s.origin}, with \`${w.type}\`` };
    }
  }
  // Seeds smallest first (within the budget), then their mutations round-robin (the first
  // mutation of every seed, then the second …), so that a budget cut spreads over every seed.
  const seedList = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.claims.length - b.c.claims.length || a.i - b.i)
    .map((x) => x.c);
  if (seedList.length > budget) {
    truncated = true;
    seedList.length = budget;
  }
  const inputs: GeneratedInput[] = [...seedList];
  // Large seeds (the unions) are tried as they are: their mutations cost much and tell little.
  const iterators: (Generator<GeneratedInput> | undefined)[] = seedList.map((x) => (x.claims.length <= MAX_MUTATED_SEED ? mutations(x) : undefined));
  const nextOf = (it: Generator<GeneratedInput>): GeneratedInput | undefined => {
    for (let n = it.next(); !n.done; n = it.next()) if (!seen.has(setKey(n.value.claims))) return n.value;
    return undefined;
  };
  let live = iterators.filter((x) => x !== undefined).length;
  while (live > 0 && !truncated) {
    for (let k = 0; k < iterators.length; k++) {
      const it = iterators[k];
      if (it === undefined) continue;
      const m = nextOf(it);
      if (m === undefined) {
        iterators[k] = undefined;
        live--;
        continue;
      }
      if (inputs.length >= budget) {
        truncated = true;
        break;
      }
      seen.add(setKey(m.claims));
      inputs.push(m);
    }
  }
  inputs.sort((a, b) => a.claims.length - b.claims.length);
  let values = 0;
  for (const v of pool.values.values()) values += v.length;
  return { inputs, truncated, jmesPath: { queries: pool.queries, witnessed: pool.witnessed }, claimTypes: pool.types.length, values };
}
