/**
 * `diffPolicies(oldText, newText, options)`: what changing a policy does to decisions, issued
 * claims and properties.
 *
 * 1. Both policies are compiled; a policy with errors cannot be compared (status `error`).
 * 2. When the two are the same up to layout, comments, renamed claim variables, the order of
 *    tests and arguments, or the order of rules that cannot affect one another, they are
 *    equivalent, and no search is made (status `equivalent`).
 * 3. Otherwise both are evaluated on every given input, and on inputs generated from the two
 *    texts (`generate.ts`); each distinct difference is reported with the smallest input that
 *    shows it (shrunk claim by claim) and the full trace of both policies on it. The search is
 *    not a proof: no difference found (status `no-difference-found`) is not equivalence.
 *
 * Pure and deterministic.
 */
import { compile, type CompileOptions } from "../eval/compile.js";
import { evaluate, type EvalResult, type InputClaim } from "../eval/evaluate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/parse.js";
import type { SectionName } from "../syntax/tokens.js";
import type { TextRange } from "../text/text-range.js";
import type { CompiledPolicy } from "../eval/program.js";
import { canonicalRule, structuralCompare, type StructuralResult } from "./canonical.js";
import type { PolicyFile } from "../syntax/ast.js";
import { CHANGE_KINDS, changeKinds, compareResults, describeChange, type Change, type ChangeKind } from "./compare.js";
import { generateInputs } from "./generate.js";

// CAUTION: public API
/** An input to evaluate both policies on: a name (a file, a test case) and its claims. */
export interface DiffInput {
  readonly name: string;
  readonly claims: readonly InputClaim[];
}

// CAUTION: public API
/** Options of `diffPolicies`. */
export interface DiffOptions {
  /** Inputs to compare the policies on (claims files, tokens, test cases). */
  readonly inputs?: readonly DiffInput[];
  /** Search for distinguishing inputs (default true). */
  readonly search?: boolean;
  /** Search even when the policies are equivalent by structure (to check that equivalence; default false). */
  readonly alwaysSearch?: boolean;
  /** At most this many generated inputs (default 5000). */
  readonly maxInputs?: number;
  /** At most this many differences reported in detail (default 20); the rest are counted. */
  readonly maxDifferences?: number;
  /** Options of `compile` for both policies (lint levels, attestation type). */
  readonly compile?: CompileOptions;
}

// CAUTION: public API
/** One input, evaluated by both policies. */
export interface InputComparison {
  readonly name: string;
  readonly claims: readonly InputClaim[];
  readonly old: EvalResult;
  readonly new: EvalResult;
  /** Empty when both gave the same outcome. */
  readonly changes: readonly Change[];
  readonly kinds: readonly ChangeKind[];
}

// CAUTION: public API
/** A difference the search found: the smallest input that shows it, with both traces. */
export interface FoundDifference extends InputComparison {
  /** The change this entry stands for (`changes` lists every change on its input). */
  readonly change: Change;
  /** One line: what changed. */
  readonly summary: string;
  /** For a decision change: the permit and deny rules that fired on one side only (`old: authorizationrules rule 2 permits`). */
  readonly cause: readonly string[];
  /** How many generated inputs showed this same difference. */
  readonly occurrences: number;
  /** How the input was first generated (before it was shrunk). */
  readonly origin: string;
}

// CAUTION: public API
/** How much of one policy the generated inputs exercised. */
export interface RuleCoverage {
  readonly total: number;
  /** Rules that fired on at least one generated input. */
  readonly fired: number;
  /** The rules no generated input fired. */
  readonly unfired: readonly { readonly section: SectionName; readonly rule: number; readonly range: TextRange }[];
}

// CAUTION: public API
/** What the search did. */
export interface SearchReport {
  /** How many inputs were generated and evaluated. */
  readonly inputs: number;
  /** Whether the input budget cut the generation. */
  readonly truncated: boolean;
  readonly claimTypes: number;
  readonly values: number;
  /** JMESPath queries over claims, and how many got a witness document. */
  readonly jmesPath: { readonly queries: number; readonly witnessed: number };
  readonly coverage: { readonly old: RuleCoverage; readonly new: RuleCoverage };
  /** The coverage target: every rule of either policy fired by some input. */
  readonly target: "every rule fired";
  readonly targetMet: boolean;
  /**
   * How many distinct changes were found: a decision change (per old and new decision and per
   * cause: the rules that voted on one side only), or a claim type added, removed or changed
   * (`differences` holds at most `maxDifferences`).
   */
  readonly distinct: number;
  readonly differences: readonly FoundDifference[];
}

// CAUTION: public API
/** The outcome of a diff. */
export type DiffStatus = "equivalent" | "different" | "no-difference-found" | "error";

// CAUTION: public API
/** The result of `diffPolicies`. */
export interface PolicyDiff {
  /**
   * `equivalent`: shown by structure, without search; `different`: a given or generated input
   * is treated differently; `no-difference-found`: the search found none (not a proof);
   * `error`: a policy has errors and cannot be compared.
   */
  readonly status: DiffStatus;
  readonly structural: StructuralResult | undefined;
  /** The compile diagnostics of each policy. */
  readonly diagnostics: { readonly old: readonly Diagnostic[]; readonly new: readonly Diagnostic[] };
  /** The given inputs, each evaluated by both. */
  readonly given: readonly InputComparison[];
  readonly search: SearchReport | undefined;
  readonly summary: {
    /** Given inputs treated differently, plus distinct differences found by the search. */
    readonly differences: number;
    readonly givenChanged: number;
    /** The change kinds seen, each with how many reported items show it. */
    readonly kinds: Readonly<Record<ChangeKind, number>>;
  };
}

/** The identity of one change, values aside: a decision change, or a claim type added, removed or changed. */
function changeKey(c: Change): string {
  return c.kind === "decision" ? `decision:${c.old}:${c.new}` : `${c.kind}:${c.target}:${c.type}`;
}

/**
 * The cause of a decision change: the permit and deny rules that fired on one side and not on
 * the other (rules are matched by their text, whitespace aside), as `old: authorizationrules rule
 * 2 permits`.
 */
class Causes {
  private readonly oldText: Map<number, string>;
  private readonly newText: Map<number, string>;

  constructor(oldFile: PolicyFile, newFile: PolicyFile) {
    this.oldText = ruleTexts(oldFile);
    this.newText = ruleTexts(newFile);
  }

  /** The rules that voted on only one side: their identity (side, vote, text) and description. */
  of(r: { old: EvalResult; new: EvalResult }): Cause[] {
    const votes = (res: EvalResult, texts: Map<number, string>): Map<string, string> => {
      const m = new Map<string, string>();
      for (const e of res.trace ?? []) {
        if (e.fired && e.section === "authorizationrules" && (e.effect === "permit" || e.effect === "deny")) {
          m.set(`${e.effect}:${texts.get(e.range.start) ?? ""}`, `${e.section} rule ${e.rule} ${e.effect === "permit" ? "permits" : "denies"}`);
        }
      }
      return m;
    };
    const o = votes(r.old, this.oldText);
    const n = votes(r.new, this.newText);
    const out: Cause[] = [];
    for (const [k, d] of o) if (!n.has(k)) out.push({ id: `old:${k}`, text: `old: ${d}` });
    for (const [k, d] of n) if (!o.has(k)) out.push({ id: `new:${k}`, text: `new: ${d}` });
    return out;
  }
}

interface Cause {
  readonly id: string;
  readonly text: string;
}

function ruleTexts(file: PolicyFile): Map<number, string> {
  const m = new Map<number, string>();
  for (const s of file.sections) for (const r of s.rules) if (r.kind === "Rule") m.set(r.range.start, canonicalRule(r, { rename: true, reorder: false }));
  return m;
}

/** The key of a change found on an input: values aside, with the cause of a decision change. */
function fullKey(change: Change, causes: readonly Cause[]): string {
  const k = changeKey(change);
  return change.kind === "decision" ? `${k}|${causes.map((c) => c.id).sort().join("\u0000")}` : k;
}

function compareOn(a: CompiledPolicy, b: CompiledPolicy, claims: readonly InputClaim[], trace: "off" | "rules" | "full"): { old: EvalResult; new: EvalResult; changes: Change[] } {
  const o = evaluate(a, claims, { trace });
  const n = evaluate(b, claims, { trace });
  return { old: o, new: n, changes: compareResults(o, n) };
}

function coverage(policy: CompiledPolicy, fired: ReadonlySet<string>): RuleCoverage {
  const unfired = policy.rules.filter((r) => !fired.has(`${r.section}/${r.index}`)).map((r) => ({ section: r.section, rule: r.index, range: r.range }));
  return { total: policy.rules.length, fired: policy.rules.length - unfired.length, unfired };
}

/**
 * Removes claims while the same change (with the same cause) remains: chunks of half the claims
 * first, then smaller chunks, down to single claims (as delta debugging does), so that a large
 * input shrinks in about n·log n evaluations rather than n².
 */
function shrink(a: CompiledPolicy, b: CompiledPolicy, claims: readonly InputClaim[], key: string, causes: Causes): readonly InputClaim[] {
  const decision = key.startsWith("decision:");
  const keeps = (next: readonly InputClaim[]): boolean => {
    const r = compareOn(a, b, next, decision ? "rules" : "off");
    const why: Cause[] = decision ? causes.of(r) : [];
    return r.changes.some((c) => fullKey(c, why) === key);
  };
  let current = [...claims];
  let chunk = Math.max(1, Math.floor(current.length / 2));
  while (current.length > 0) {
    let removed = false;
    for (let i = 0; i < current.length; ) {
      const next = [...current.slice(0, i), ...current.slice(i + chunk)];
      if (keeps(next)) {
        current = next;
        removed = true;
      } else i += chunk;
    }
    if (chunk === 1) {
      if (!removed) break;
    } else chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return current;
}

/** Compares two policies. Never throws on any text or claims; throws `TypeError` on malformed options. */
export function diffPolicies(oldText: string, newText: string, options: DiffOptions = {}): PolicyDiff {
  const maxInputs = options.maxInputs ?? 5000;
  const maxDifferences = options.maxDifferences ?? 20;
  if (!Number.isInteger(maxInputs) || maxInputs < 1) throw new TypeError("maxInputs must be a positive integer");
  if (!Number.isInteger(maxDifferences) || maxDifferences < 1) throw new TypeError("maxDifferences must be a positive integer");
  const a = compile(oldText, options.compile);
  const b = compile(newText, options.compile);
  const diagnostics = { old: a.diagnostics, new: b.diagnostics };
  const kinds = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  if (a.policy === undefined || b.policy === undefined) {
    return { status: "error", structural: undefined, diagnostics, given: [], search: undefined, summary: { differences: 0, givenChanged: 0, kinds } };
  }
  const pa = a.policy;
  const pb = b.policy;
  const oldFile = parse(oldText).file;
  const newFile = parse(newText).file;
  const structural = structuralCompare(oldText, oldFile, newText, newFile);

  const given: InputComparison[] = [];
  for (const input of options.inputs ?? []) {
    const r = compareOn(pa, pb, input.claims, "full");
    given.push({ name: input.name, claims: input.claims, ...r, kinds: changeKinds(r.changes) });
  }
  const givenChanged = given.filter((g) => g.changes.length > 0).length;
  for (const g of given) for (const k of g.kinds) kinds[k]++;

  let search: SearchReport | undefined;
  if ((!structural.equivalent || options.alwaysSearch === true) && options.search !== false) {
    const gen = generateInputs(oldFile, newFile, maxInputs);
    const causes = new Causes(oldFile, newFile);
    const firedOld = new Set<string>();
    const firedNew = new Set<string>();
    const found = new Map<string, { claims: readonly InputClaim[]; origin: string; count: number; kinds: ChangeKind[] }>();
    // Trace rules (for coverage) only until every rule has fired.
    let covered = false;
    for (const input of gen.inputs) {
      const r = compareOn(pa, pb, input.claims, covered ? "off" : "rules");
      if (!covered) {
        for (const e of r.old.trace ?? []) if (e.fired) firedOld.add(`${e.section}/${e.rule}`);
        for (const e of r.new.trace ?? []) if (e.fired) firedNew.add(`${e.section}/${e.rule}`);
        covered = firedOld.size === pa.rules.length && firedNew.size === pb.rules.length;
      }
      let why: Cause[] = [];
      if (r.changes.some((c) => c.kind === "decision")) why = causes.of(r.old.trace ? r : compareOn(pa, pb, input.claims, "rules"));
      for (const change of r.changes) {
        const key = fullKey(change, why);
        const f = found.get(key);
        if (f === undefined) found.set(key, { claims: input.claims, origin: input.origin, count: 1, kinds: changeKinds([change]) });
        else {
          f.count++;
          if (input.claims.length < f.claims.length) {
            f.claims = input.claims;
            f.origin = input.origin;
          }
        }
      }
    }
    const differences: FoundDifference[] = [];
    const ordered = [...found.entries()].sort((x, y) => x[1].claims.length - y[1].claims.length || (x[0] < y[0] ? -1 : 1));
    for (const [key, f] of ordered.slice(0, maxDifferences)) {
      const claims = shrink(pa, pb, f.claims, key, causes);
      const r = compareOn(pa, pb, claims, "full");
      const why = causes.of(r);
      const main = (r.changes.find((c) => fullKey(c, why) === key) ?? r.changes[0]) as Change;
      differences.push({
        name: `difference ${differences.length + 1}`,
        claims,
        ...r,
        kinds: changeKinds(r.changes),
        summary: describeChange(main),
        change: main,
        cause: main.kind === "decision" ? why.map((c) => c.text) : [],
        occurrences: f.count,
        origin: f.origin,
      });
    }
    for (const f of found.values()) for (const k of f.kinds) kinds[k]++;
    const covOld = coverage(pa, firedOld);
    const covNew = coverage(pb, firedNew);
    search = {
      inputs: gen.inputs.length,
      truncated: gen.truncated,
      claimTypes: gen.claimTypes,
      values: gen.values,
      jmesPath: gen.jmesPath,
      coverage: { old: covOld, new: covNew },
      target: "every rule fired",
      targetMet: covOld.unfired.length === 0 && covNew.unfired.length === 0,
      distinct: found.size,
      differences,
    };
  }
  const differences = givenChanged + (search?.distinct ?? 0);
  const status: DiffStatus = differences > 0 ? "different" : structural.equivalent ? "equivalent" : "no-difference-found";
  // INVARIANT: structural equivalence implies that no input tells the policies apart (checked by
  // the property tests with `alwaysSearch`); a difference found anyway is reported as one.
  return { status, structural, diagnostics, given, search, summary: { differences, givenChanged, kinds } };
}
