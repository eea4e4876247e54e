/**
 * `evalResultToJson(result, text)`: the JSON object printed by `maa-policy eval --format json`
 * and returned by the language server's `maa-policy/evaluate` request. Ranges become zero-based
 * line/character positions (with offsets); Integers beyond 2^53 − 1 become decimal strings.
 */
import { diagnosticToJson, type JsonDiagnostic, type JsonRange } from "../diagnostics/render.js";
import { LineIndex } from "../text/line-index.js";
import type { TextRange } from "../text/text-range.js";
import type { EvalResult } from "./evaluate.js";
import type { TraceCondition, TraceEntry } from "./trace.js";
import { jsonValue, type Claim, type ClaimValue } from "./value.js";

// CAUTION: public API
/** A claim in JSON form. */
export interface JsonClaim {
  readonly type: string;
  readonly value: boolean | number | string;
  readonly valueType: string;
  readonly issuer: string;
  readonly readOnly?: true;
}

// CAUTION: public API
/** The JSON form of an evaluation result. */
export interface EvalResultJson {
  readonly decision: "permit" | "deny" | "error";
  readonly incoming: readonly JsonClaim[];
  readonly outgoing: readonly JsonClaim[];
  readonly properties: readonly JsonClaim[];
  readonly token: Record<string, unknown>;
  readonly diagnostics: readonly JsonDiagnostic[];
  /** The trace entries, or null when tracing was off. */
  readonly trace: readonly Record<string, unknown>[] | null;
}

/** A claim in JSON form. */
export function claimToJson(c: Claim): JsonClaim {
  const out: JsonClaim = { type: c.type, value: jsonValue(c.value), valueType: c.valueType, issuer: c.issuer };
  return c.readOnly === true ? { ...out, readOnly: true } : out;
}

/** Converts an evaluation result to its JSON form; `text` is the policy text (for line/column positions). */
export function evalResultToJson(result: EvalResult, text: string): EvalResultJson {
  const index = new LineIndex(text);
  const range = (r: TextRange): JsonRange & { offsets: TextRange } => ({
    start: index.position(r.start),
    end: index.position(r.end),
    offsets: { start: r.start, end: r.end },
  });
  const condition = (c: TraceCondition): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      index: c.index,
      range: range(c.range),
      negated: c.negated,
      binding: c.binding ?? null,
      holds: c.holds,
      matchedCount: c.matchedCount,
      matched: c.matched.map(claimToJson),
    };
    if (c.failure) {
      const f = c.failure;
      out["failure"] = {
        test: f.test,
        range: f.range ? range(f.range) : null,
        property: f.property ?? null,
        operator: f.operator ?? null,
        expected: f.expected.map((v: ClaimValue) => jsonValue(v)),
        candidates: f.candidates,
        compared: f.compared.map((x) => ({ claim: claimToJson(x.claim), actual: jsonValue(x.actual) })),
      };
    }
    return out;
  };
  const entry = (e: TraceEntry): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      section: e.section,
      rule: e.rule,
      range: range(e.range),
      fired: e.fired,
      verb: e.verb,
      effect: e.effect,
    };
    if (e.note !== undefined) out["note"] = e.note;
    if (e.produced) out["produced"] = e.produced.map(claimToJson);
    if (e.conditions) out["conditions"] = e.conditions.map(condition);
    if (e.error !== undefined) out["error"] = e.error;
    return out;
  };
  return {
    decision: result.decision,
    incoming: result.incoming.map(claimToJson),
    outgoing: result.outgoing.map(claimToJson),
    properties: result.properties.map(claimToJson),
    token: result.token,
    diagnostics: result.diagnostics.map((d) => diagnosticToJson(d, index)),
    trace: result.trace ? result.trace.map(entry) : null,
  };
}
