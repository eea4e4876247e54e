/**
 * What changed between two evaluations of the same input: the decision, the issued claims and
 * the properties (added, removed, changed), and the kind of change as `--fail-on` names it.
 */
import type { EvalResult } from "../eval/evaluate.js";
import { jsonValue, type Claim, type ClaimValue } from "../eval/value.js";

// CAUTION: public API
/**
 * The kind of a change: `deny-more` (permitted before, denied or failing now), `permit-more`
 * (denied or failing before, permitted now), `claims` (the same decision with other issued claims
 * or properties), `error` (deny became a failure or the other way round).
 */
export type ChangeKind = "deny-more" | "permit-more" | "claims" | "error";

/** Every change kind, in report order. */
export const CHANGE_KINDS: readonly ChangeKind[] = ["deny-more", "permit-more", "claims", "error"];

// CAUTION: public API
/** One change of one input. */
export type Change =
  | { readonly kind: "decision"; readonly old: EvalResult["decision"]; readonly new: EvalResult["decision"] }
  | {
      readonly kind: "claim-added" | "claim-removed" | "claim-changed";
      /** `claims` for issued claims, `properties` for properties. */
      readonly target: "claims" | "properties";
      readonly type: string;
      /** The values before (absent for an added claim), as shown in the token. */
      readonly old?: readonly string[];
      /** The values after (absent for a removed claim). */
      readonly new?: readonly string[];
    };

/** A value as the report shows it: JSON, with the value type when it is not evident. */
export function showClaimValue(c: Claim): string {
  const v = JSON.stringify(jsonValue(c.value));
  const evident = typeof c.value === "bigint" ? "Integer" : c.valueType;
  const suffix = typeof c.value === "bigint" ? " (Integer)" : evident === c.valueType ? "" : ` (${c.valueType})`;
  return c.issuer === "AttestationPolicy" ? v + suffix : `${v}${suffix} (issuer ${c.issuer})`;
}

function byType(claims: readonly Claim[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const c of claims) {
    const list = m.get(c.type);
    const v = showClaimValue(c);
    if (list === undefined) m.set(c.type, [v]);
    else if (!list.includes(v)) list.push(v);
  }
  for (const list of m.values()) list.sort();
  return m;
}

function claimChanges(target: "claims" | "properties", a: readonly Claim[], b: readonly Claim[]): Change[] {
  const x = byType(a);
  const y = byType(b);
  const out: Change[] = [];
  const types = [...new Set([...x.keys(), ...y.keys()])].sort();
  for (const t of types) {
    const o = x.get(t);
    const n = y.get(t);
    if (o === undefined && n !== undefined) out.push({ kind: "claim-added", target, type: t, new: n });
    else if (o !== undefined && n === undefined) out.push({ kind: "claim-removed", target, type: t, old: o });
    else if (o !== undefined && n !== undefined && (o.length !== n.length || o.some((v, i) => v !== n[i]))) {
      out.push({ kind: "claim-changed", target, type: t, old: o, new: n });
    }
  }
  return out;
}

/** The changes between two results of the same input (empty: the same outcome). */
export function compareResults(a: EvalResult, b: EvalResult): Change[] {
  if (a.decision !== b.decision) return [{ kind: "decision", old: a.decision, new: b.decision }];
  if (a.decision === "error") return [];
  return [...claimChanges("claims", a.outgoing, b.outgoing), ...claimChanges("properties", a.properties, b.properties)];
}

/** The kinds of a list of changes. */
export function changeKinds(changes: readonly Change[]): ChangeKind[] {
  const kinds = new Set<ChangeKind>();
  for (const c of changes) {
    if (c.kind === "decision") {
      if (c.old === "permit") kinds.add("deny-more");
      else if (c.new === "permit") kinds.add("permit-more");
      else kinds.add("error");
    } else kinds.add("claims");
  }
  return CHANGE_KINDS.filter((k) => kinds.has(k));
}

/** A one-line description of a change. */
export function describeChange(c: Change): string {
  if (c.kind === "decision") return `decision ${c.old} → ${c.new}`;
  const what = c.target === "claims" ? "issued claim" : "property";
  const vals = (v: readonly string[] | undefined): string => (v ?? []).join(", ");
  switch (c.kind) {
    case "claim-added":
      return `${what} \`${c.type}\` added: ${vals(c.new)}`;
    case "claim-removed":
      return `${what} \`${c.type}\` removed (was ${vals(c.old)})`;
    default:
      return `${what} \`${c.type}\` changed: ${vals(c.old)} → ${vals(c.new)}`;
  }
}

/** A key for a value, for deduplication. */
export function valueKey(v: ClaimValue): string {
  return `${typeof v}:${String(v)}`;
}
