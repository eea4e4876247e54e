/**
 * `policyDiffToJson(diff, sources)`: the JSON report printed by `maa-policy diff --format json`
 * and returned by the language server's `maa-policy/diff` request. Evaluation results use the
 * shape of `evalResultToJson` (with the full trace where a difference is shown); input claims use
 * the claims-file shape, so any input can be saved and replayed with `maa-policy eval --claims`.
 */
import { diagnosticToJson, type JsonDiagnostic } from "../diagnostics/render.js";
import type { EvalResult, InputClaim } from "../eval/evaluate.js";
import { claimToJson, evalResultToJson, type EvalResultJson, type JsonClaim } from "../eval/result-json.js";
import { LineIndex } from "../text/line-index.js";
import type { Change, ChangeKind } from "./compare.js";
import type { DiffStatus, InputComparison, PolicyDiff, RuleCoverage } from "./diff.js";

// CAUTION: public API
/** The names and texts of the two policies. */
export interface DiffSources {
  readonly oldName: string;
  readonly oldText: string;
  readonly newName: string;
  readonly newText: string;
}

// CAUTION: public API
/** An input claim in claims-file form. */
export interface JsonInputClaim {
  readonly type: string;
  readonly value: boolean | number | string;
  readonly valueType?: string;
  readonly issuer?: string;
}

/** The short outcome of one evaluation. */
export interface JsonOutcome {
  readonly decision: EvalResult["decision"];
  readonly outgoing: readonly JsonClaim[];
  readonly properties: readonly JsonClaim[];
}

// CAUTION: public API
/** One input in the JSON report. */
export interface JsonInputComparison {
  readonly name: string;
  /** The claims, as a claims file holds them. */
  readonly claims: readonly JsonInputClaim[];
  readonly changes: readonly Change[];
  readonly kinds: readonly ChangeKind[];
  /** The full results with traces when the outcome changed, else the short outcome. */
  readonly old: EvalResultJson | JsonOutcome;
  readonly new: EvalResultJson | JsonOutcome;
}

// CAUTION: public API
/** The JSON report of a diff. */
export interface PolicyDiffJson {
  readonly old: string;
  readonly new: string;
  readonly status: DiffStatus;
  readonly equivalence: { readonly equivalent: boolean; readonly identical: boolean; readonly notes: readonly string[] } | null;
  readonly summary: PolicyDiff["summary"];
  readonly diagnostics: { readonly old: readonly JsonDiagnostic[]; readonly new: readonly JsonDiagnostic[] };
  readonly given: readonly JsonInputComparison[];
  readonly search: {
    readonly note: string;
    readonly inputs: number;
    readonly truncated: boolean;
    readonly claimTypes: number;
    readonly values: number;
    readonly jmesPath: { readonly queries: number; readonly witnessed: number };
    readonly target: string;
    readonly targetMet: boolean;
    readonly coverage: { readonly old: JsonCoverage; readonly new: JsonCoverage };
    readonly distinct: number;
    readonly differences: readonly (JsonInputComparison & {
      readonly summary: string;
      readonly change: Change;
      readonly cause: readonly string[];
      readonly occurrences: number;
      readonly origin: string;
    })[];
  } | null;
}

/** Rule coverage in JSON form (one-based lines). */
export interface JsonCoverage {
  readonly total: number;
  readonly fired: number;
  readonly unfired: readonly { readonly section: string; readonly rule: number; readonly line: number }[];
}

/** What the report says about the search, in every format. */
export const SEARCH_NOTE =
  "this is a search, not a proof: the inputs were generated from the constants, comparison boundaries, claim types, issuers, negations and JMESPath queries of the two policies; a difference no generated input shows is not found";

/** An input claim in claims-file form (Integers beyond 2^53 as decimal strings with `valueType`). */
export function inputClaimToJson(c: InputClaim): JsonInputClaim {
  const value = typeof c.value === "bigint" ? c.value.toString() : c.value;
  const valueType = typeof c.value === "bigint" ? "Integer" : c.valueType;
  return {
    type: c.type,
    value,
    ...(valueType !== undefined ? { valueType } : {}),
    ...(c.issuer !== undefined ? { issuer: c.issuer } : {}),
  };
}

function outcome(r: EvalResult): JsonOutcome {
  return { decision: r.decision, outgoing: r.outgoing.map(claimToJson), properties: r.properties.map(claimToJson) };
}

function comparison(c: InputComparison, s: DiffSources): JsonInputComparison {
  const changed = c.changes.length > 0;
  return {
    name: c.name,
    claims: c.claims.map(inputClaimToJson),
    changes: c.changes,
    kinds: c.kinds,
    old: changed ? evalResultToJson(c.old, s.oldText) : outcome(c.old),
    new: changed ? evalResultToJson(c.new, s.newText) : outcome(c.new),
  };
}

function coverage(c: RuleCoverage, text: string): JsonCoverage {
  const index = new LineIndex(text);
  return { total: c.total, fired: c.fired, unfired: c.unfired.map((u) => ({ section: u.section, rule: u.rule, line: index.position(u.range.start).line + 1 })) };
}

/** Converts a diff to its JSON report. */
export function policyDiffToJson(diff: PolicyDiff, s: DiffSources): PolicyDiffJson {
  const oi = new LineIndex(s.oldText);
  const ni = new LineIndex(s.newText);
  const search = diff.search;
  return {
    old: s.oldName,
    new: s.newName,
    status: diff.status,
    equivalence: diff.structural ? { equivalent: diff.structural.equivalent, identical: diff.structural.identical, notes: diff.structural.notes } : null,
    summary: diff.summary,
    diagnostics: { old: diff.diagnostics.old.map((d) => diagnosticToJson(d, oi)), new: diff.diagnostics.new.map((d) => diagnosticToJson(d, ni)) },
    given: diff.given.map((g) => comparison(g, s)),
    search: search
      ? {
          note: SEARCH_NOTE,
          inputs: search.inputs,
          truncated: search.truncated,
          claimTypes: search.claimTypes,
          values: search.values,
          jmesPath: search.jmesPath,
          target: search.target,
          targetMet: search.targetMet,
          coverage: { old: coverage(search.coverage.old, s.oldText), new: coverage(search.coverage.new, s.newText) },
          distinct: search.distinct,
          differences: search.differences.map((d) => ({ ...comparison(d, s), summary: d.summary, change: d.change, cause: d.cause, occurrences: d.occurrences, origin: d.origin })),
        }
      : null,
  };
}
