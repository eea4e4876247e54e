/**
 * Per-rule summaries: the facts about one rule that the checks about the whole policy combine
 * (the claim types it adds, the claim types its conditions test with which issuer, its verb, its
 * duplicate key, what its value derives from). A summary depends on the rule, its section's name
 * and the text of the rule only, so the language server's incremental analysis keeps the
 * summaries of the rules an edit did not touch and computes new ones for the re-parsed rules
 * only; the whole-policy checks then make one cheap pass over the summaries.
 *
 * Ranges in a summary are those of the rule when the summary was made (`base` is the rule's
 * start then): `at(summary, start, range)` moves them to where the rule is now (at `start`).
 */
import { ATTESTATION_TYPES, findClaim } from "../claims/catalog.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { shiftValue } from "../syntax/incremental.js";
import type { Rule } from "../syntax/ast.js";
import { walk } from "../syntax/walk.js";
import type { TextRange } from "../text/text-range.js";
import type { RuleSummary, TypeTest, TypedTest } from "./summary.js";
import { actionOf, addedTypesOf, conditionIssuer, isUnconditional, literalTest, producedType, ruleNeverFires } from "./facts.js";

export type { RuleSummary, TypeTest, TypedTest } from "./summary.js";

/** The summary of one rule. */
export function summarize(rule: Rule, text: string): RuleSummary {
  const unknownServiceTests: TypeTest[] = [];
  const policyTests: TypeTest[] = [];
  const typedTests: TypedTest[] = [];
  for (const c of rule.conditions) {
    const issuer = conditionIssuer(c);
    if (issuer !== undefined && issuer !== "AttestationService" && issuer !== "AttestationPolicy") continue;
    const t = literalTest(c, "type");
    if (!t) continue;
    const type = t.literal.value;
    const r = t.literal.range;
    if (issuer === "AttestationPolicy") {
      if (!c.negated) policyTests.push({ type, range: r });
      continue;
    }
    const info = findClaim(type);
    if (issuer === "AttestationService" && !info && !(type.trim() !== type && findClaim(type.trim()))) unknownServiceTests.push({ type, range: r });
    if (info && info.attestationTypes.length !== ATTESTATION_TYPES.length) typedTests.push({ type, range: r, info });
  }
  const action = actionOf(rule);
  const raw = text.slice(rule.range.start, rule.range.end);
  return {
    base: rule.range.start,
    length: rule.range.end - rule.range.start,
    added: addedTypesOf(rule),
    unknownServiceTests,
    policyTests,
    typedTests,
    verb: action?.verb,
    unconditional: isUnconditional(rule),
    neverFires: ruleNeverFires(rule),
    produced: producedType(rule),
    rough: (raw.includes("//") ? raw.replace(/\/\/[^\r\n]*/g, "") : raw).replace(/\s+/g, ""),
    taint: action ? taintFacts(rule) : undefined,
    memo: new Map(),
  };
}

function taintFacts(rule: Rule): RuleSummary["taint"] {
  const action = actionOf(rule);
  if (!action) return undefined;
  const bound: { name: string; type: string | undefined; readOnly: boolean }[] = [];
  for (const c of rule.conditions) {
    if (!c.binding) continue;
    const t = literalTest(c, "type")?.literal.value;
    bound.push({ name: c.binding.name, type: t, readOnly: t !== undefined && findClaim(t)?.readOnly === true });
  }
  if (bound.length === 0) return undefined;
  const uses: string[] = [];
  for (const arg of action.args) {
    if (arg.name !== "value" && arg.name !== "claim") continue;
    walk(arg.value, (n) => {
      if (n.kind === "ValueRef") uses.push(n.identifier.name);
      else if (n.kind === "Identifier") uses.push(n.name);
    });
  }
  const valueRange = action.args.find((a) => a.name === "value" || a.name === "claim")?.range ?? action.range;
  return { bound, uses, valueRange };
}

/** A range of a summary, moved to where the summarised rule is now (it starts at `start`). */
export function at(summary: RuleSummary, start: number, r: TextRange): TextRange {
  const d = start - summary.base;
  return d === 0 ? r : { start: r.start + d, end: r.end + d };
}

/**
 * A diagnostic of a summarised rule that depends on the rule only, made by `make` (with the
 * summary's ranges) the first time and kept in the summary; moved to where the rule is now (at `start`).
 */
export function memoised(summary: RuleSummary, start: number, key: string, make: () => Diagnostic): Diagnostic {
  let d = summary.memo.get(key);
  if (!d) {
    d = make();
    summary.memo.set(key, d);
  }
  const delta = start - summary.base;
  return delta === 0 ? d : shiftValue(d, delta);
}

// One entry per check run (the summaries array of the run), so the weak map stays tiny.
const firstAddedCache = new WeakMap<readonly RuleSummary[], ReadonlyMap<string | undefined, number>>();

/**
 * For each claim type some rule may add, the index of the first rule that adds it (`undefined`:
 * a type not visible statically), in the order the types are first added; computed once per
 * check run and shared by the checks that ask whether an earlier rule adds a claim.
 */
export function firstAdded(summaries: readonly RuleSummary[]): ReadonlyMap<string | undefined, number> {
  let map = firstAddedCache.get(summaries) as Map<string | undefined, number> | undefined;
  if (!map) {
    map = new Map();
    for (let i = 0; i < summaries.length; i++) for (const t of (summaries[i] as RuleSummary).added) if (!map.has(t)) map.set(t, i);
    firstAddedCache.set(summaries, map);
  }
  return map;
}

/** Whether a rule before rule `i` may add a claim of type `type`. */
export function addedBefore(first: ReadonlyMap<string | undefined, number>, type: string | undefined, i: number): boolean {
  const at = first.get(type);
  return at !== undefined && at < i;
}
